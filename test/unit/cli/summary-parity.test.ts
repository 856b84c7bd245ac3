/**
 * The summary's torchinfo and Keras 3 columns against the real tools (scripts/gen-summary-oracle.py):
 * torchinfo 1.8's input and output sizes, parameters, Mult-Adds (ours leave out the bias and
 * normalization terms torchinfo adds, which the oracle records apart), memory estimates and its
 * depth-1 rows; Keras 3's model.summary() rows with "Connected to" for a functional model.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env: {}, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface Leaf {
  name: string;
  type: string;
  inputSize: number[];
  outputSize: number[];
  params: number;
  trainable: string;
  multAdds: number;
  nonWeightMultAdds: number;
}
interface TorchinfoModel {
  file: string;
  inputSize: number[];
  totalParams: number;
  trainableParams: number;
  totalMultAdds: number;
  inputBytes: number;
  forwardBackwardBytes: number;
  paramBytes: number;
  leaves: Leaf[];
  depth1: { name: string; type: string; params: number; outputSize: number[] }[];
}
const TORCHINFO = JSON.parse(readFileSync('test/fixtures/summary/torchinfo.json', 'utf8')) as {
  torchinfo: string;
  models: TorchinfoModel[];
};
const KERAS = JSON.parse(readFileSync('test/fixtures/summary/keras-connected.json', 'utf8')) as {
  columns: string[];
  rows: string[][];
};

/** The body rows of a plain ASCII table, cells trimmed, keyed by the header. */
function tableRows(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.startsWith('| Layer (type)'));
  const split = (l: string) =>
    l
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
  const names = split(lines[head]!);
  const rows: Record<string, string>[] = [];
  for (const l of lines.slice(head + 2)) {
    if (!l.startsWith('|')) break;
    const cells = split(l);
    rows.push(Object.fromEntries(names.map((n, i) => [n, cells[i]!])));
  }
  return rows;
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

describe.each(TORCHINFO.models.map((m) => [m.file, m] as const))('torchinfo %s', (file, ti) => {
  it('every module: input and output size, parameters, trainable, MACs', async () => {
    const r = await cli('summary', file, '--json');
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(r.out).models[0];
    const layers = m.layers.filter((l: { functional: boolean }) => !l.functional);
    expect(layers.map((l: { name: string }) => l.name)).toEqual(ti.leaves.map((l) => l.name));
    layers.forEach((l: Record<string, unknown>, i: number) => {
      const t = ti.leaves[i]!;
      expect(l.type).toBe(t.type);
      expect((l.inputShapes as number[][])[0]).toEqual(t.inputSize.slice(1));
      expect(l.outputShape).toEqual(t.outputSize.slice(1));
      expect(l.params).toBe(t.params);
      expect(
        t.trainable === 'True' ? l.trainableParams === l.params : t.trainable === '--' ? l.params === 0 : null,
      ).toBe(true);
      // torchinfo's Mult-Adds count bias and normalization parameters too; ours are the weights' MACs
      expect(l.macs, t.name).toBe(t.multAdds - t.nonWeightMultAdds);
    });
    expect([m.totalParams, m.trainableParams]).toEqual([ti.totalParams, ti.trainableParams]);
    expect(m.macs).toBe(ti.totalMultAdds - ti.leaves.reduce((a, l) => a + l.nonWeightMultAdds, 0));
  });

  it("memory estimates: torchinfo's params and forward/backward pass sizes, to the byte", async () => {
    const m = JSON.parse((await cli('summary', file, '--json')).out).models[0];
    expect(m.memoryBytes.params).toBe(ti.paramBytes);
    expect(m.memoryBytes.forwardBackward).toBe(ti.forwardBackwardBytes);
    // torchinfo's input size is sys.getsizeof of the tensor: its data plus the Python object
    expect(m.memoryBytes.input).toBe(prod(ti.inputSize) * 4);
    expect(ti.inputBytes - m.memoryBytes.input).toBeGreaterThanOrEqual(0);
    expect(ti.inputBytes - m.memoryBytes.input).toBeLessThan(256);
    expect(m.memoryBytes.total).toBe(m.memoryBytes.input + ti.forwardBackwardBytes + ti.paramBytes);
    const text = (await cli('summary', file)).out;
    expect(text).toContain(` Params size (MB): ${mb(ti.paramBytes)}\n`);
    expect(text).toContain(` Forward/backward pass size (MB): ${mb(ti.forwardBackwardBytes)}\n`);
  });

  it('--depth 1: the rows torchinfo prints at depth 1, each with its subtree parameters', async () => {
    const r = await cli('summary', file, '--depth', '1');
    expect(r.code, r.err).toBe(0);
    const rows = tableRows(r.out).filter((row) => row['Param #'] !== '');
    expect(rows.map((row) => [row['Layer (type)']!.split(' (')[0], row['Param #'], row['Output Shape']])).toEqual(
      ti.depth1.map((d) => [d.name, d.params.toLocaleString('en-US'), `(N, ${d.outputSize.slice(1).join(', ')})`]),
    );
  });
});

describe('Keras 3 functional model', () => {
  it('each layer once, with its output shape, parameters and "Connected to" as Keras prints them', async () => {
    const r = await cli('summary', 'test/fixtures/summary/keras_functional.py');
    expect(r.code, r.err).toBe(0);
    const rows = tableRows(r.out);
    const cols = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
    expect(KERAS.columns).toEqual(cols);
    expect(rows.map((row) => cols.map((c) => row[c]))).toEqual(KERAS.rows);
  });
});
