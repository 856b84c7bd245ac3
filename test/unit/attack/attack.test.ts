/**
 * The attack corpus (scripts/attack-corpus.ts, test/fixtures/attack/), each case through the
 * command's main() in-process, a test per class: a clean one-line error or the correct result,
 * nothing written outside --out, nothing overwritten. Time and memory are measured outside the
 * unit tests, in a child process per case (`npm run attack`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import {
  CASES,
  diskProblems,
  judge,
  smallBinaries,
  snapshot,
  untouchedBefore,
  ATTACK_DIR,
  type AttackClass,
} from '../../../scripts/attack-corpus';

const root = mkdtempSync(join(tmpdir(), 'convlens-attack-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

describe('the committed binary files are the ones the corpus script writes', () => {
  it('byte for byte', () => {
    for (const [name, bytes] of Object.entries(smallBinaries()))
      expect(new Uint8Array(readFileSync(join(ATTACK_DIR, name))), name).toEqual(bytes);
  });
});

const classes = [...new Set(CASES.map((c) => c.class))] as AttackClass[];
for (const cls of classes) {
  describe(`attack class: ${cls}`, () => {
    for (const c of CASES.filter((x) => x.class === cls)) {
      it.runIf(posix || !c.posixOnly)(`${c.name}: ${c.what}`, async () => {
        const work = mkdtempSync(join(root, `${c.name}-`));
        const argv = c.prepare(work);
        const before = snapshot(work);
        const kept = untouchedBefore(c, work);
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
        const run = { code, out: out.join('\n'), err: err.join('\n') };
        expect(
          [...judge(c, run, work), ...diskProblems(work, before, kept)],
          JSON.stringify(run).slice(0, 600),
        ).toEqual([]);
      });
    }
  });
}
