/**
 * Functions the file defines but never calls, run once after the module: a model that is built
 * and called only inside `def test():` or `def main():` is still found with its example input.
 * Only functions that need no arguments and whose text makes an example input are run, so a
 * large file pays one text scan per function, not a parse and a run of each.
 */
import { BudgetExceeded, type Interpreter } from './interpreter';
import type { DefStmt, Value } from './values';

const EXAMPLE_INPUT = /\btorch\.(?:randn|rand|zeros|ones|empty|full|randint|normal)\s*\(|\.build\s*\(|\bInput\s*\(/;

export function runUncalledFunctions(ip: Interpreter): void {
  const candidates: { name: string; fn: Extract<Value, { t: 'func' }> }[] = [];
  for (const [name, v] of ip.globals.vars) {
    if ((v.t !== 'func' && v.t !== 'lazyfunc') || v.scope !== ip.globals) continue;
    const r = v.t === 'func' ? v.def.r : v.r;
    if (!EXAMPLE_INPUT.test(ip.source.slice(r.from, r.to))) continue;
    const def: DefStmt | null = v.t === 'func' ? v.def : v.load();
    if (!def || ip.calledDefs.has(def) || def.params.some((p) => !p.default && !p.star)) continue;
    candidates.push({ name, fn: { t: 'func', def, scope: v.scope, self: null } });
  }
  for (const { name, fn } of candidates) {
    if (ip.calledDefs.has(fn.def)) continue;
    try {
      ip.resetBudget();
      ip.callFunction(fn, { positional: [], keywords: new Map(), posRanges: [], kwRanges: new Map() });
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      ip.capped ??= `${name}(): ${e.message}`;
    }
  }
}
