/**
 * One step budget per analysis: every statement is a step, a builtin or an operator is charged
 * every element it reads or builds, the budget is never reset between classes or traces, and the
 * number of models traced and layers recorded is capped. A capped analysis says so and returns
 * what it found. Optionally, a wall-clock deadline read from an injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { FRAMEWORK_HOOKS } from '../../../src/analysis/frameworks/calls';
import { Interpreter, LIMITS } from '../../../src/analysis/interp/interpreter';
import { MAX_MODELS } from '../../../src/analysis/models';
import { parsePython, ParseCache } from '../../../src/analysis/python/parse';

const saved = { ...LIMITS };
afterEach(() => Object.assign(LIMITS, saved));

/** The file's top level run on its own: the interpreter, to read its variables and steps. */
function run(src: string): Interpreter {
  const ip = new Interpreter(FRAMEWORK_HOOKS, src);
  ip.runModule(parsePython(src, new ParseCache()));
  return ip;
}

const TORCH = 'import torch\nimport torch.nn as nn\n';

/** `count` small module classes whose forward loops `trips` times, each built and traced. */
function classes(count: number, trips: number): string {
  let src = TORCH;
  for (let i = 0; i < count; i++)
    src +=
      `class M${i}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.ReLU()\n` +
      `    def forward(self, x):\n        for i in range(${trips}):\n            y = i\n        return self.l(x)\n`;
  return src;
}

describe('one step budget per analysis', () => {
  it('len() and `in` of a range are answered without making its items', () => {
    // before: len() made the range's items (None past 100,000 of them), 100,000 per call
    const ip = run(
      'n = len(range(10**12))\nk = len(range(10, 0, -3))\nhas = 15 in range(0, 10**12, 5)\nnot_ = 7 in range(0, 100, 5)\n',
    );
    const v = (name: string): unknown => (ip.globals.vars.get(name) as { v?: unknown } | undefined)?.v;
    expect([v('n'), v('k'), v('has'), v('not_')]).toEqual([10 ** 12, 4, true, false]);
    expect(ip.stepsSpent).toBeLessThan(100);
  });

  it('set() and a dict literal find repeated numbers and strings by key, not by comparing every pair', () => {
    // before: set() of n items made up to n²/2 comparisons (20,000 items: 200 million) in one step
    const n = 20_000;
    const entries = Array.from({ length: n }, (_, i) => `${i}: ${i}`).join(', ');
    const ip = run(
      `s = set(list(range(${n})) + [1, 1.0, True, 'a', 'a'])\nk = len(s)\nd = {${entries}, 5: 'five', True: 'one'}\nm = len(d)\nfive = d[5]\none = d[1]\n`,
    );
    const v = (name: string): unknown => (ip.globals.vars.get(name) as { v?: unknown } | undefined)?.v;
    expect([v('k'), v('m'), v('five'), v('one')]).toEqual([n + 1, n, 'five', 'one']);
    // charged the elements read and built, a few times n — not n²
    expect(ip.stepsSpent).toBeGreaterThan(n);
    expect(ip.stepsSpent).toBeLessThan(10 * n);
  });

  it('set() of many values without a key gives up rather than comparing every pair', () => {
    const ip = run(
      's = set([(i, i) for i in range(5000)])\nk = len(s)\nt = set([(1, 2), (1, 2), (3, 4)])\nj = len(t)\n',
    );
    expect(ip.globals.vars.get('k')?.t).toBe('unknown');
    expect((ip.globals.vars.get('j') as { v: number }).v).toBe(2);
  });

  it.each([
    ['sorted() of a long list', 'xs = list(range(20000))\nfor i in range(300):\n    ys = sorted(xs)\n'],
    ['list(), sum()', 'for i in range(300):\n    s = sum(list(range(20000)))\n'],
    ['a list multiplied', 'for i in range(300):\n    z = [0] * 20000\n'],
    ['a string joined and split', "s = ','.join(['ab'] * 20000)\nfor i in range(300):\n    parts = s.split(',')\n"],
    ['a string multiplied', "for i in range(300):\n    t = 'abcd' * 20000\n"],
    ['a comprehension', 'for i in range(300):\n    z = [j for j in range(20000)]\n'],
    ['a dict built from pairs', 'for i in range(300):\n    d = dict(zip(range(5000), range(5000)))\n'],
  ])('%s in a loop is charged every element (one step per call before)', (_, code) => {
    const ip = run(code);
    // 300 trips of ≥ 20,000 elements: far past the phase's 400,000 steps, so it stops there
    expect(ip.capped).toBe('analysis stopped after 400,000 steps');
    expect(ip.stepsSpent).toBeGreaterThan(LIMITS.steps);
    expect(ip.stepsSpent).toBeLessThan(LIMITS.steps + 200_000);
  });

  it('the budget is not reset for each class built or traced: the analysis stops and keeps what it found', () => {
    LIMITS.analysisSteps = 200_000;
    // 40 classes of ~9,000 steps each, built and traced: ~700,000 steps, each phase far below its cap
    const r = analyze(classes(40, 4000));
    expect(r.capped).toBe('analysis stopped after 200,000 steps');
    expect(r.diagnostics[0]).toMatchObject({ code: 'file-capped', args: { detail: r.capped } });
    expect(r.models.length).toBeGreaterThan(0);
    expect(r.models.length).toBeLessThan(40);
    expect(r.models[0]!.layers.map((l) => l.spec.type)).toEqual(['ReLU']);
  });

  it(`only the first ${MAX_MODELS} models are traced`, () => {
    const r = analyze(classes(MAX_MODELS + 20, 1));
    expect(r.models.length).toBe(MAX_MODELS);
    expect(r.capped).toBe(`only the first ${MAX_MODELS} models were traced`);
  });

  it('layer applications recorded over the analysis are capped', () => {
    LIMITS.layers = 500;
    const src = `${TORCH}class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.ReLU()\n    def forward(self, x):\n        for i in range(2000):\n            x = self.l(x)\n        return x\n`;
    const r = analyze(src);
    expect(r.capped).toBe('analysis stopped after 500 layer applications');
    expect(r.diagnostics.some((d) => d.code === 'file-capped')).toBe(true);
  });
});

describe('a wall-clock deadline', () => {
  it('stops the analysis past its seconds, read from the clock every few thousand steps', () => {
    let now = 0;
    let reads = 0;
    // a clock that moves one second each time it is read
    const clock = (): number => {
      reads++;
      return (now += 1000);
    };
    const src = `${TORCH}m = nn.Sequential(nn.ReLU())\nfor i in range(10000):\n    for j in range(30):\n        y = j\n`;
    const r = analyze(src, { timeLimit: { seconds: 3, clock } });
    expect(r.capped).toBe('analysis stopped after 3 s');
    expect(r.diagnostics[0]).toMatchObject({ code: 'file-capped', args: { detail: 'analysis stopped after 3 s' } });
    // the model built before the deadline is still found
    expect(r.models.map((m) => m.name)).toEqual(['m']);
    expect(reads).toBeLessThan(10);
  });

  it('an analysis within its time is not capped, and the clock is read rarely', () => {
    let reads = 0;
    const clock = (): number => (reads++, 0);
    const r = analyze(`${TORCH}m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())\n`, {
      timeLimit: { seconds: 3, clock },
    });
    expect(r.capped).toBeNull();
    expect(r.models).toHaveLength(1);
    expect(reads).toBe(1);
  });
});
