/**
 * Prints how the analyzer does on the model-zoo corpus (scripts/corpus-compare.ts): per model,
 * found or not, layers whose output shape and parameters match the real framework, totals,
 * false errors; then the overall figures.
 *   npx tsx scripts/corpus-report.ts                 # the table
 *   npx tsx scripts/corpus-report.ts --errors        # and each false error's file:line and code
 *   npx tsx scripts/corpus-report.ts --write-floor   # record today's figures in floor.json
 */
import { writeFileSync } from 'node:fs';
import {
  corpusMissing,
  FLOOR_FILE,
  floorOf,
  formatOverall,
  formatTable,
  loadTruth,
  overall,
  type ModelResult,
  type Score,
} from './corpus-compare';
import { measureIsolated } from './corpus-isolate';

async function main(): Promise<void> {
  const missing = corpusMissing();
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  const truth = loadTruth();
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const results: ModelResult[] = [];
  for (const m of truth.models.filter((t) => only.length === 0 || only.some((o) => t.id.includes(o)))) {
    results.push(await measureIsolated(m));
    process.stderr.write(`\r${results.length} models measured`);
  }
  process.stderr.write('\n');
  console.log(formatTable(results));
  console.log(`\n${formatOverall(overall(results))}`);
  if (process.argv.includes('--errors'))
    for (const r of results) for (const e of r.errors) console.log(`${r.id}: ${e}`);
  if (process.argv.includes('--write-floor')) {
    if (only.length > 0) throw new Error('--write-floor measures every model: give no model filter');
    const floor: Record<string, Score> = {};
    for (const r of results) floor[r.id] = floorOf(r);
    const lines = Object.entries(floor).map(([id, s]) => `  ${JSON.stringify(id)}: ${JSON.stringify(s)}`);
    writeFileSync(FLOOR_FILE, `{\n${lines.join(',\n')}\n}\n`);
    console.log(`wrote ${FLOOR_FILE}`);
  }
}

void main();
