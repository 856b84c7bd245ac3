/**
 * The attack corpus (scripts/attack-corpus.ts) through the built command (dist/cli.js), each case
 * in a child process of its own: its wall time and peak memory (maxRSS of the whole process,
 * helper threads included, reported by a preloaded hook at exit) must stay within 5 s and 512 MB,
 * and it must end with a clean one-line error or the correct result, with nothing written outside
 * --out and nothing overwritten. A case still running after 60 s is killed and counts as a hang.
 * Prints a table; exits with 1 if any case fails.
 *
 * Usage: npm run attack   (builds first)   or   tsx scripts/attack-check.ts [case names...]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, diskProblems, judge, ROOT, snapshot, untouchedBefore } from './attack-corpus';

const LIMIT_MS = 5000;
const LIMIT_MB = 512;
const KILL_MS = 60_000;

const cli = join(ROOT, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
const root = mkdtempSync(join(tmpdir(), 'convlens-attack-check-'));
const hook = join(root, 'maxrss.cjs');
writeFileSync(
  hook,
  `process.on('exit', () => { try { require('node:fs').writeFileSync(process.env.CONVLENS_MAXRSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`,
);

const only = process.argv.slice(2);
const rows: string[][] = [];
let failed = 0;
for (const c of CASES) {
  if (only.length && !only.includes(c.name)) continue;
  if (c.posixOnly && process.platform === 'win32') continue;
  const work = mkdtempSync(join(root, `${c.name}-`));
  const argv = c.prepare(work);
  const before = snapshot(work);
  const kept = untouchedBefore(c, work);
  const rssFile = join(root, `${c.name}.rss`);
  const t = performance.now();
  const p = spawnSync(process.execPath, ['--require', hook, cli, ...argv], {
    cwd: work,
    encoding: 'utf8',
    timeout: KILL_MS,
    maxBuffer: 64 << 20,
    env: { ...process.env, CONVLENS_MAXRSS_FILE: rssFile, NO_COLOR: '1' },
  });
  const ms = performance.now() - t;
  const mb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  const run = { code: p.status ?? -1, out: p.stdout ?? '', err: (p.stderr ?? '').replace(/\n$/, '') };
  const problems =
    p.error || p.signal
      ? [`killed after ${(ms / 1000).toFixed(0)} s (${p.signal ?? p.error?.message})`]
      : [...judge(c, run, work), ...diskProblems(work, before, kept)];
  if (ms > LIMIT_MS) problems.push(`took ${(ms / 1000).toFixed(1)} s (limit ${LIMIT_MS / 1000} s)`);
  if (!(mb <= LIMIT_MB)) problems.push(`peak memory ${mb.toFixed(0)} MB (limit ${LIMIT_MB} MB)`);
  if (problems.length) failed++;
  const outcome = run.code === 0 ? 'result' : `error: ${run.err.split('\n')[0]!.slice(0, 70)}`;
  rows.push([
    c.class,
    c.name,
    (ms / 1000).toFixed(2),
    mb.toFixed(0),
    problems.length ? 'FAIL' : 'ok',
    problems.length ? problems.join('; ') : outcome,
  ]);
}
rmSync(root, { recursive: true, force: true });

const head = ['class', 'case', 's', 'MB', '', 'outcome'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i]!.length))));
const line = (r: string[]) =>
  r.map((v, i) => (i === 5 ? v : i === 2 || i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(
  `\n${rows.length - failed} of ${rows.length} cases within ${LIMIT_MS / 1000} s and ${LIMIT_MB} MB, each a clean error or the correct result`,
);
process.exit(failed ? 1 : 0);
