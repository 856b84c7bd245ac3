/**
 * `convlens explain FILE --line N`: the hover's facts for the layer on a line, as plain text or
 * JSON; exit 1 on a line without a layer, 2 on bad flags and unreadable files. Numbers worked by
 * hand from the frameworks' rules and the chapter's examples.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  expect(i, needle).toBeGreaterThanOrEqual(0);
  return i + 1;
}

const TEXTBOOK = 'examples/textbook_cnn.py';
const LENET = 'examples/lenet.py';

describe('convlens explain', () => {
  it("the textbook's first Conv2D: shapes, 'same' arithmetic, arguments, 3·3·1·32 + 32 = 320, no Markdown", async () => {
    const line = lineOf(TEXTBOOK, 'Conv2D(32');
    const r = await cli('explain', TEXTBOOK, '--line', String(line));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^examples/textbook_cnn\\.py:${line}:\\d+: conv2d · Conv2D — model \\(Keras\\)$`),
    );
    expect(lines).toContain('(None, 28, 28, 1) → (None, 28, 28, 32)');
    expect(lines).toContain("Output size: 'same': ⌈28 / 1⌉ = 28, pad 1/1 (H, W)");
    expect(lines).toContain('Arguments:');
    expect(r.out).toMatch(/^ {2}filters=32 +32 filters \(stamps\) → 32 feature maps$/m);
    expect(r.out).toMatch(/^ {2}padding='same' +same padding: 1 pixel of zeros on each side keeps 28×28$/m);
    expect(r.out).toMatch(/^ {2}activation='relu' +relu after the weighted sum \+ bias/m);
    expect(lines).toContain('Parameters: 3·3·1·32 + 32 = 320');
    expect(lines).toContain('Receptive field: 3×3, jump 1');
    expect(r.out).not.toMatch(/[*`]/);
    // the constructor's second line explains the same layer
    const next = await cli('explain', TEXTBOOK, '--line', String(line + 1));
    expect(next.out.split('\n').slice(1)).toEqual(lines.slice(1));
  });

  it('--locale ko uses the chapter’s terms', async () => {
    const r = await cli('explain', TEXTBOOK, '--line', String(lineOf(TEXTBOOK, 'Conv2D(32')), '--locale', 'ko');
    expect(r.code).toBe(0);
    expect(r.out).toContain("출력 크기: 세임 패딩('same'): ⌈28 / 1⌉ = 28, 패딩 1/1 (H, W)");
    expect(r.out).toContain('매개변수:');
    expect(r.out).toContain('필터(도장) 32개 → 특성 맵 32개');
    expect(r.out).toContain('세임 패딩: 양쪽에 0을 1픽셀씩 채워 28×28 유지');
    expect(r.out).toContain('파라미터: 3·3·1·32 + 32 = 320');
  });

  it('MaxPooling2D(2) halves 28 to 14 with strides defaulting to the pool size; Dropout(0.4)', async () => {
    const pool = await cli('explain', TEXTBOOK, '--line', String(lineOf(TEXTBOOK, 'MaxPooling2D(2)')));
    expect(pool.out).toContain('(None, 28, 28, 32) → (None, 14, 14, 32)');
    expect(pool.out).toContain("'valid': (28 − 2) / 2 + 1 = 14 (H, W)");
    expect(pool.out).toContain('(default: the pool size)');
    const drop = await cli('explain', TEXTBOOK, '--line', String(lineOf(TEXTBOOK, 'Dropout(0.4)')));
    expect(drop.out).toContain('rate=0.4');
    expect(drop.out).toContain('inference: passes through unchanged');
  });

  it('--json: the structured facts with a schemaVersion', async () => {
    const line = lineOf(TEXTBOOK, 'Conv2D(32');
    const r = await cli('explain', TEXTBOOK, '--line', String(line), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schemaVersion).toBe(1);
    expect(j).toMatchObject({
      file: TEXTBOOK,
      line,
      name: 'conv2d',
      type: 'Conv2D',
      framework: 'keras',
      inputs: ['(None, 28, 28, 1)'],
      output: '(None, 28, 28, 32)',
      outputSize: [{ axes: 'H, W', expression: "'same': ⌈28 / 1⌉", result: 28, note: 'pad 1/1' }],
      params: { count: 320, formula: '3·3·1·32 + 32', nonTrainable: 0 },
      receptiveField: { size: [3, 3], jump: [1, 1] },
      diagnostics: [],
    });
    expect(j.range.line).toBe(line);
    expect(j.arguments.map((a: { name: string }) => a.name)).toEqual([
      'filters',
      'kernel_size',
      'padding',
      'activation',
    ]);
  });

  it('LeNet: a forward() line explains its outermost call; --col picks conv1 inside it', async () => {
    const line = lineOf(LENET, 'x = self.pool(F.relu(self.conv1(x)))');
    const r = await cli('explain', LENET, '--line', String(line));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toContain('pool · MaxPool2d — LeNet (PyTorch) · called 2 times');
    // this call pools conv1's 28×28 maps: ⌊(28 − 1·(2 − 1) − 1) / 2⌋ + 1 = 14
    expect(r.out).toContain('(N, 6, 28, 28) → (N, 6, 14, 14)');
    expect(r.out).toContain('⌊(28 − 1·(2 − 1) − 1) / 2⌋ + 1 = 14 (H, W)');
    const text = readFileSync(LENET, 'utf8').split('\n')[line - 1]!;
    const col = text.indexOf('self.conv1(x)') + 1;
    const c = await cli('explain', LENET, '--line', String(line), '--col', String(col));
    expect(c.out.split('\n')[0]).toContain('conv1 · Conv2d — LeNet (PyTorch)');
    // 32 − 5 + 1 = 28; 5·5·1·6 + 6 = 156
    expect(c.out).toContain('⌊(32 − 1·(5 − 1) − 1) / 1⌋ + 1 = 28 (H, W)');
    expect(c.out).toContain('valid padding (no zeros added): 32×32 → 28×28');
    expect(c.out).toContain('Parameters: 5·5·1·6 + 6 = 156');
  });

  it('LeNet: a constructor line; the fully connected layer 16·5·5 = 400 → 120', async () => {
    const r = await cli('explain', LENET, '--line', String(lineOf(LENET, 'self.fc1 = nn.Linear')));
    expect(r.code).toBe(0);
    expect(r.out).toContain('(N, 400) → (N, 120)');
    expect(r.out).toMatch(/in_features=400 +400 inputs to every neuron/);
    expect(r.out).toContain('Parameters: 400·120 + 120 = 48,120');
  });

  it('a 1-D file: 10 values, a kernel of 3 → 8 (the chapter’s example), then (2) pooling → 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-explain-'));
    const file = join(dir, 'one_d.py');
    writeFileSync(
      file,
      [
        'from tensorflow import keras',
        'model = keras.Sequential([',
        '    keras.layers.Conv1D(1, kernel_size=3, input_shape=(10, 1)),',
        '    keras.layers.MaxPooling1D(2),',
        '])',
        '',
      ].join('\n'),
    );
    const conv = await cli('explain', file, '--line', '3');
    expect(conv.code).toBe(0);
    expect(conv.out).toContain('(None, 10, 1) → (None, 8, 1)');
    expect(conv.out).toContain("Output size: 'valid': (10 − 3) / 1 + 1 = 8");
    expect(conv.out).toContain("each filter's kernel is 3 long");
    expect(conv.out).toContain('Receptive field: 3, jump 1');
    expect(conv.out).not.toContain('3×3');
    const pool = await cli('explain', file, '--line', '4', '--locale', 'ko');
    expect(pool.out).toContain("출력 크기: 밸리드 패딩('valid'): (8 − 2) / 2 + 1 = 4");
    expect(pool.out).toContain('최대 풀링: 2개씩 가장 큰 값');
  });

  it('diagnostics on the line are printed; the explanation still succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-explain-'));
    const file = join(dir, 'bad.py');
    writeFileSync(
      file,
      'import torch\nimport torch.nn as nn\nm = nn.Sequential(nn.Conv2d(3, 8, 3))\nm(torch.zeros(1, 1, 28, 28))\n',
    );
    const r = await cli('explain', file, '--line', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^error: .*\[channel-mismatch\]$/m);
    const j = JSON.parse((await cli('explain', file, '--line', '3', '--json')).out);
    expect(j.diagnostics.map((d: { code: string }) => d.code)).toContain('channel-mismatch');
  });

  it('a line without a layer exits 1 with one line; bad flags and unreadable files exit 2', async () => {
    const none = await cli('explain', TEXTBOOK, '--line', String(lineOf(TEXTBOOK, 'from tensorflow import keras')));
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err.split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/no layer on line \d+$/);
    const ko = await cli('explain', TEXTBOOK, '--line', '1', '--locale', 'ko');
    expect([ko.code, ko.err]).toEqual([1, 'convlens explain: examples/textbook_cnn.py:1: 1번째 줄에 층이 없습니다']);
    for (const argv of [
      ['explain', TEXTBOOK],
      ['explain', TEXTBOOK, '--line', '0'],
      ['explain', TEXTBOOK, '--line', 'x'],
      ['explain', TEXTBOOK, '--line', '3', '--col', '-1'],
      ['explain', TEXTBOOK, '--line', '3', '--frobnicate'],
      ['explain', TEXTBOOK, '--line', '99999'],
      ['explain', 'no/such/file.py', '--line', '3'],
      ['explain', '--line', '3'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err, argv.join(' ')).toMatch(/^convlens explain: /);
    }
  });

  it('--help, and the command is listed in convlens --help', async () => {
    const h = await cli('explain', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^Usage: convlens explain FILE --line N/);
    expect(h.out).toContain('--json');
    expect((await cli('--help')).out).toMatch(/^ {2}explain +/m);
  });
});
