/**
 * Command-line conventions, table-tested: -h/--help on every command and `help <command>`,
 * strict options with one-line errors (exit 2), short aliases, colours and box-drawing characters
 * only on a terminal without NO_COLOR (--ascii, FORCE_COLOR), `-` for standard input (capped),
 * `check --format text|json|sarif`, a schemaVersion in every JSON output, and notebooks read from
 * their code cells.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/registry';
import { main, type Io } from '../../../src/cli/main';
import { VERSION } from '../../../src/cli/version';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], io: Partial<Io> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env: {}, ...io, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'convlens-conv-'));
/** A PyTorch file with one error: the second convolution expects 4 channels and gets 8. */
const BAD =
  'import torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(4, 8, 3))\nx = torch.randn(1, 3, 32, 32)\ny = net(x)\n';
const bad = join(dir, 'bad.py');
writeFileSync(bad, BAD);
/** Where the error is: the `4` of nn.Conv2d(4, …) on line 3 (1-based line and column). */
const BAD_LINE = 3;
const BAD_COL = BAD.split('\n')[2]!.indexOf('nn.Conv2d(4') + 'nn.Conv2d('.length + 1;
const GOOD = 'examples/textbook_cnn.py';
const COMMAND_NAMES = ['summary', 'check', 'forward', 'render', 'explain'];
const BOX = /[\u2500-\u257f]/;
const ESC = '\u001b[';

describe('help and version', () => {
  it('every command is registered', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it.each(COMMAND_NAMES)('%s: -h, --help and `convlens help %s` print the same usage, exit 0', async (name) => {
    const short = await cli([name, '-h']);
    const long = await cli([name, '--help']);
    const viaHelp = await cli(['help', name]);
    expect(short.code).toBe(0);
    expect(short.out).toMatch(new RegExp(`^Usage: convlens ${name} `));
    expect(short.out).toContain('-h, --help');
    expect(long).toEqual(short);
    expect(viaHelp).toEqual(short);
  });

  it.each([
    [['--version'], 0, VERSION, ''],
    [['-v'], 0, VERSION, ''],
    [
      ['help', 'nosuch'],
      2,
      '',
      "convlens help: unknown command 'nosuch' (commands: summary, check, forward, render, explain)",
    ],
    [['nosuch'], 2, '', "convlens: unknown command 'nosuch' (try 'convlens --help')"],
  ] as const)('%j exits %i', async (argv, code, out, err) => {
    const r = await cli([...argv]);
    expect([r.code, r.out, r.err]).toEqual([code, out, err]);
  });

  it('help and -h list every command and say how to get help of one', async () => {
    for (const argv of [['help'], ['-h'], ['--help']]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      for (const name of COMMAND_NAMES) expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(r.out).toContain('convlens help <command>');
    }
  });
});

describe('options: strict, one-line errors, exit 2', () => {
  it.each([
    [['summary', GOOD, '--bogus'], "convlens summary: unknown option '--bogus' (try 'convlens summary --help')"],
    [['summary', '-x', GOOD], "convlens summary: unknown option '-x' (try 'convlens summary --help')"],
    [['summary', GOOD, '--depth'], "convlens summary: option '--depth' needs a value (try 'convlens summary --help')"],
    [['summary', GOOD, '-d'], "convlens summary: option '--depth' needs a value (try 'convlens summary --help')"],
    [
      ['summary', GOOD, '--json=yes'],
      "convlens summary: option '--json' takes no value (try 'convlens summary --help')",
    ],
    [
      ['summary', GOOD, '--model', 'a', '-m', 'b'],
      "convlens summary: option '--model' given more than once (try 'convlens summary --help')",
    ],
    [
      ['summary', GOOD, '--depth', '0'],
      "convlens summary: --depth must be an integer from 1 to 100, got '0' (try 'convlens summary --help')",
    ],
    [
      ['summary', GOOD, '--input-shape', '-3'],
      "convlens summary: option '--input-shape' needs a value (a value starting with '-' is written --input-shape=-…) (try 'convlens summary --help')",
    ],
    [['summary'], "convlens summary: missing FILE (try 'convlens summary --help')"],
    [
      ['check', GOOD, '--format', 'xml'],
      "convlens check: --format must be text, json or sarif, got 'xml' (try 'convlens check --help')",
    ],
    [['check', '-', '-'], "convlens check: standard input ('-') can be read once (try 'convlens check --help')"],
    [['forward', GOOD, '-o'], "convlens forward: option '--out' needs a value (try 'convlens forward --help')"],
    [['render', GOOD, '--force=1'], "convlens render: option '--force' takes no value (try 'convlens render --help')"],
    [['explain', GOOD, '--line'], "convlens explain: option '--line' needs a value (try 'convlens explain --help')"],
  ])('%j', async (argv, err) => {
    const r = await cli(argv);
    expect([r.code, r.err, r.out]).toEqual([2, err, '']);
  });

  it('short aliases mean their long options', async () => {
    const long = await cli(['summary', GOOD, '--model', 'model', '--json']);
    const short = await cli(['summary', GOOD, '-m', 'model', '--json']);
    expect(long.code).toBe(0);
    expect(short).toEqual(long);
    expect(await cli(['check', bad, '-f', 'json'])).toEqual(await cli(['check', bad, '--format', 'json']));
    const out = join(dir, 'acts');
    const r = await cli(['forward', GOOD, '-i', 'media/samples/digit-3.png', '-o', out, '-l', 'conv2d']);
    expect(r.code, r.err).toBe(0);
    expect(
      JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')).layers.map((l: { layer: string }) => l.layer),
    ).toEqual(['conv2d']);
  });
});

describe('colours and box-drawing characters', () => {
  // [stdout is a terminal, environment, extra flags, box characters expected, colours expected]
  const cases: [boolean, Record<string, string>, string[], boolean, boolean][] = [
    [true, {}, [], true, true],
    [true, { NO_COLOR: '1' }, [], false, false],
    [true, { NO_COLOR: '' }, [], true, true], // an empty NO_COLOR does not count (no-color.org)
    [true, {}, ['--ascii'], false, false],
    [false, {}, [], false, false],
    [false, { FORCE_COLOR: '1' }, [], false, true],
    [false, { FORCE_COLOR: '0' }, [], false, false],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, [], false, false],
  ];
  it.each(cases)('terminal %s, env %j, %j: box %s, colours %s', async (isTTY, env, flags, box, colour) => {
    const s = await cli(['summary', bad, ...flags], { isTTY, env });
    expect(s.code).toBe(0);
    expect(BOX.test(s.out)).toBe(box);
    expect(s.out.includes(ESC)).toBe(colour);
    if (!box)
      for (const line of s.out.split('\n').filter((l) => /^[+|]/.test(l))) expect(line).toMatch(/^[\x20-\x7e]+$/);
    const c = await cli(['check', bad, ...flags], { isTTY, env });
    expect(c.code).toBe(1);
    const where = `${bad}:${BAD_LINE}:${BAD_COL}: `;
    expect(c.out).toBe(
      `${where}${colour ? `${ESC}31merror${ESC}0m` : 'error'}: Conv2d '1': expects 4 input channels (in_channels=4) but receives 8 [channel-mismatch]`,
    );
  });

  it('a name holding an escape sequence is shown escaped even when colours are on', async () => {
    const file = join(dir, 'esc.py');
    writeFileSync(
      file,
      "import keras\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, name='a\\x1b[31mb')])\n",
    );
    const r = await cli(['summary', file], { isTTY: true, env: { FORCE_COLOR: '1' } });
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('\u001b[31mb');
  });
});

describe('standard input', () => {
  it("'-' is the source read from standard input, capped as files are", async () => {
    let cap = 0;
    const stdin = (c: number) => {
      cap = c;
      return new TextEncoder().encode(BAD);
    };
    const s = await cli(['summary', '-', '--json'], { stdin });
    expect(s.code, s.err).toBe(0);
    const j = JSON.parse(s.out);
    expect(j.file).toBe('<stdin>');
    // Conv2d(3, 8, 3): 3·3·3·8 + 8 = 224 parameters; Conv2d(4, 8, 3): 3·3·4·8 + 8 = 296
    expect(j.models[0].layers.map((l: { params: number }) => l.params)).toEqual([224, 296]);
    expect(cap).toBe(20 * 1024 * 1024);
    const c = await cli(['check', '-'], { stdin });
    expect(c.code).toBe(1);
    expect(c.out).toMatch(new RegExp(`^<stdin>:${BAD_LINE}:${BAD_COL}: error: `));
    const e = await cli(['explain', '-', '--line', String(BAD_LINE), '--json'], { stdin });
    expect(e.code, e.err).toBe(0);
    // the leftmost layer on the line: nn.Sequential's first convolution, `0`
    expect(JSON.parse(e.out)).toMatchObject({
      file: '<stdin>',
      line: BAD_LINE,
      column: BAD.split('\n')[2]!.indexOf('nn.Conv2d(3') + 1,
    });
  });

  it('a real pipe: read whole; over 20 MB a one-line error; output to a pipe is plain', () => {
    const run = (input: string | Buffer, ...argv: string[]) =>
      spawnSync(join('node_modules', '.bin', 'tsx'), ['src/cli/main.ts', ...argv], {
        input,
        encoding: 'utf8',
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR' && k !== 'FORCE_COLOR')),
        maxBuffer: 64 * 1024 * 1024,
      });
    const ok = run(BAD, 'summary', '-');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('| 0 (Conv2d) ');
    expect(BOX.test(ok.stdout)).toBe(false);
    const big = run(Buffer.alloc(21 * 1024 * 1024, 0x20), 'check', '-');
    expect([big.status, big.stderr.trim()]).toEqual([
      2,
      'convlens check: cannot read standard input: more than the 20 MB limit for source files',
    ]);
  }, 60_000);
});

/** Property names the SARIF 2.1.0 specification allows on each object we write (§3). */
const SARIF_PROPS: Record<string, string[]> = {
  log: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: ['tool', 'results', 'originalUriBaseIds', 'artifacts', 'invocations', 'language', 'properties'],
  invocation: ['executionSuccessful', 'toolExecutionNotifications', 'commandLine', 'exitCode', 'properties'],
  notification: ['level', 'message', 'locations', 'descriptor', 'properties'],
  tool: ['driver', 'extensions', 'properties'],
  driver: ['name', 'version', 'semanticVersion', 'informationUri', 'rules', 'fullName', 'organization', 'properties'],
  rule: ['id', 'name', 'shortDescription', 'fullDescription', 'helpUri', 'help', 'defaultConfiguration', 'properties'],
  result: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'locations', 'properties'],
  location: ['id', 'physicalLocation', 'logicalLocations', 'message', 'properties'],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'snippet', 'properties'],
};

function keysWithin(o: object, kind: string): void {
  for (const k of Object.keys(o)) expect(SARIF_PROPS[kind], `${kind}.${k}`).toContain(k);
}

describe('check --format', () => {
  it('sarif: a SARIF 2.1.0 log with the required properties, rules by code, 1-based regions', async () => {
    const r = await cli(['check', bad, GOOD, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out);
    keysWithin(log, 'log');
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/^https:\/\/.*sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    keysWithin(run, 'run');
    keysWithin(run.tool, 'tool');
    keysWithin(run.tool.driver, 'driver');
    expect(run.tool.driver).toMatchObject({ name: 'ConvLens', version: VERSION });
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const rule of run.tool.driver.rules) keysWithin(rule, 'rule');
    expect(new Set(ids).size).toBe(ids.length);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    keysWithin(run.invocations[0], 'invocation');
    expect(run.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    keysWithin(res, 'result');
    expect(res).toMatchObject({ ruleId: 'channel-mismatch', level: 'error' });
    expect(ids[res.ruleIndex]).toBe(res.ruleId);
    expect(res.message.text).toBe("Conv2d '1': expects 4 input channels (in_channels=4) but receives 8");
    keysWithin(res.locations[0], 'location');
    const phys = res.locations[0].physicalLocation;
    keysWithin(phys, 'physicalLocation');
    keysWithin(phys.artifactLocation, 'artifactLocation');
    keysWithin(phys.region, 'region');
    // the temporary folder is outside the working folder: an absolute file: URI
    expect(phys.artifactLocation.uri).toBe(`file://${bad}`);
    // endColumn is the column after the region (SARIF §3.30.8): the `4` is one character
    expect(phys.region).toEqual({
      startLine: BAD_LINE,
      startColumn: BAD_COL,
      endLine: BAD_LINE,
      endColumn: BAD_COL + 1,
    });
  });

  it('sarif: a file under the working folder is a relative URI against %SRCROOT%', async () => {
    const file = join('test', 'fixtures', 'summary', 'bad_channels.py');
    const log = JSON.parse((await cli(['check', join(process.cwd(), file), '-f', 'sarif'])).out);
    const loc = log.runs[0].results[0].locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'test/fixtures/summary/bad_channels.py', uriBaseId: '%SRCROOT%' });
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('nn.Conv2d(4')) + 1;
    expect(loc.region).toMatchObject({ startLine: line, startColumn: lines[line - 1]!.indexOf('nn.Conv2d(4') + 11 });
  });

  it('sarif: a file that cannot be read is a notification of an unsuccessful run, exit 2', async () => {
    const missing = join(dir, 'missing.py');
    const r = await cli(['check', bad, missing, '-f', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`convlens check: cannot read '${missing}': no such file`);
    const run = JSON.parse(r.out).runs[0];
    expect(run.results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['channel-mismatch']);
    expect(run.invocations[0]).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: `cannot read '${missing}': no such file` } }],
    });
    keysWithin(run.invocations[0].toolExecutionNotifications[0], 'notification');
  });

  it('json: every diagnostic with its file, 1-based place, severity and code', async () => {
    const r = await cli(['check', bad, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      schemaVersion: 1,
      diagnostics: [
        {
          file: bad,
          line: BAD_LINE,
          column: BAD_COL,
          endLine: BAD_LINE,
          endColumn: BAD_COL + 1,
          severity: 'error',
          code: 'channel-mismatch',
          message: "Conv2d '1': expects 4 input channels (in_channels=4) but receives 8",
        },
      ],
    });
    const clean = await cli(['check', GOOD, '-f', 'sarif']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out).runs[0].results).toEqual([]);
  });
});

describe('schemaVersion in every JSON output', () => {
  it('summary --json, check --format json, explain --json, forward index.json', async () => {
    const line =
      readFileSync(GOOD, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('Conv2D(32')) + 1;
    const out = join(dir, 'fwd');
    expect((await cli(['forward', GOOD, '--input', 'media/samples/digit-3.png', '--out', out])).code).toBe(0);
    const docs = [
      JSON.parse((await cli(['summary', GOOD, '--json'])).out),
      JSON.parse((await cli(['check', GOOD, '--format', 'json'])).out),
      JSON.parse((await cli(['explain', GOOD, '--line', String(line), '--json'])).out),
      JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')),
    ];
    for (const d of docs)
      expect(Number.isInteger(d.schemaVersion) && d.schemaVersion >= 1, JSON.stringify(d).slice(0, 80)).toBe(true);
  });
});

describe('notebooks', () => {
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# A model\n', 'that does not fit'] },
    {
      cell_type: 'code',
      metadata: {},
      outputs: [],
      execution_count: 1,
      source: ['%matplotlib inline\n', 'import torch\n', 'import torch.nn as nn'],
    },
    { cell_type: 'markdown', metadata: {}, source: 'text' },
    {
      cell_type: 'code',
      metadata: {},
      outputs: [],
      execution_count: 2,
      source: [
        '!pip list\n',
        'net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(4, 8, 3))\n',
        'x = torch.randn(1, 3, 32, 32)\n',
        'y = net(x)\n',
      ],
    },
  ];
  const nb = join(dir, 'model.ipynb');
  writeFileSync(nb, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  // the notebook's 4th cell, its 2nd line: `net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(4, …`
  const col = cells[3]!.source[1]!.indexOf('nn.Conv2d(4') + 'nn.Conv2d('.length + 1;

  it('check reads the code cells together, magics as blank lines; places are cellN:LINE:COL', async () => {
    const r = await cli(['check', nb]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${nb}:cell4:2:${col}: error: Conv2d '1': expects 4 input channels (in_channels=4) but receives 8 [channel-mismatch]`,
    );
    const j = JSON.parse((await cli(['check', nb, '-f', 'json'])).out);
    expect(j.diagnostics[0]).toMatchObject({ cell: 4, line: 2, column: col });
    const sarif = JSON.parse((await cli(['check', nb, '-f', 'sarif'])).out);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region).toMatchObject({
      startLine: 2,
      startColumn: col,
      properties: { cell: 4 },
    });
  });

  it('summary finds the model (not "no models found"), its layers placed in their cell', async () => {
    const r = await cli(['summary', nb, '--json']);
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(r.out).models[0];
    expect([m.name, m.totalParams, m.cell, m.line]).toEqual(['net', 224 + 296, 4, 2]);
    expect(m.layers.map((l: { cell: number; line: number }) => [l.cell, l.line])).toEqual([
      [4, 2],
      [4, 2],
    ]);
    expect((await cli(['summary', nb])).out).toContain(`Model: "net" (PyTorch Sequential) — ${nb}:cell4:2`);
  });

  it('a file named .ipynb that is not a notebook: one line, exit 2', async () => {
    const f = join(dir, 'broken.ipynb');
    writeFileSync(f, '{"cells": 3}');
    const r = await cli(['check', f]);
    expect([r.code, r.err]).toEqual([
      2,
      `convlens check: cannot read '${f}': not a Jupyter notebook (no "cells" list)`,
    ]);
    const e = await cli(['explain', nb, '--line', '2']);
    expect([e.code, e.err]).toEqual([
      2,
      `convlens explain: ${nb} is a notebook; try 'convlens summary ${nb}' or 'convlens check ${nb}'`,
    ]);
  });
});
