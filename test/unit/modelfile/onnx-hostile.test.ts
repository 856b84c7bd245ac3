/**
 * Hostile and broken ONNX files, built byte by byte here: each gives one clean InputError whose
 * message starts with the file's name, or a diagnostic on a readable graph — quickly, never a
 * TypeError, a hang or an allocation the file's declared sizes ask for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { readModelFile } from '../../../src/modelfile';
import { MAX_NODES } from '../../../src/modelfile/onnx/proto';

// --- a minimal protobuf writer for the ONNX messages the tests need ---

function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}

type Bytes = Uint8Array | number[];

function cat(parts: Bytes[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const bytesField = (field: number, b: Bytes): Uint8Array => cat([varint((field << 3) | 2), varint(b.length), b]);
const strField = (field: number, s: string): Uint8Array => bytesField(field, new TextEncoder().encode(s));
const intField = (field: number, v: number | bigint): Uint8Array => cat([varint(field << 3), varint(v)]);

function tensor(name: string, dims: (number | bigint)[], dataType: number, raw: Bytes | null, extra: Bytes[] = []) {
  return cat([
    ...dims.map((d) => intField(1, d)),
    intField(2, dataType),
    strField(8, name),
    ...(raw ? [bytesField(9, raw)] : []),
    ...extra,
  ]);
}

function f32(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

function i64(values: number[]): Uint8Array {
  return new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
}

function attr(name: string, type: number, body: Bytes[]): Uint8Array {
  return cat([strField(1, name), intField(20, type), ...body]);
}

function node(op: string, inputs: string[], outputs: string[], name = '', attrs: Uint8Array[] = []) {
  return cat([
    ...inputs.map((i) => strField(1, i)),
    ...outputs.map((o) => strField(2, o)),
    strField(3, name),
    strField(4, op),
    ...attrs.map((a) => bytesField(5, a)),
  ]);
}

function valueInfo(name: string, dims: (number | string)[]): Uint8Array {
  const shape = cat(dims.map((d) => bytesField(1, typeof d === 'string' ? strField(2, d) : intField(1, d))));
  const tensorType = cat([intField(1, 1), bytesField(2, shape)]);
  return cat([strField(1, name), bytesField(2, bytesField(1, tensorType))]);
}

function graph(nodes: Uint8Array[], inits: Uint8Array[] = [], input = valueInfo('x', [1, 2, 4, 4])): Uint8Array {
  return cat([
    ...nodes.map((n) => bytesField(1, n)),
    strField(2, 'g'),
    ...inits.map((t) => bytesField(5, t)),
    bytesField(11, input),
  ]);
}

function model(g: Uint8Array, opset = 17): Uint8Array {
  return cat([intField(1, 8), bytesField(7, g), bytesField(8, cat([strField(1, ''), intField(2, opset)]))]);
}

/** The InputError reading `bytes` throws (failing the test when there is none or another type). */
function refusal(bytes: Uint8Array, name = 'bad.onnx'): InputError {
  try {
    readModelFile(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message.startsWith(`${name}: `)).toBe(true);
    return e as InputError;
  }
  throw new Error('the file was read');
}

describe('hostile ONNX files', () => {
  it('a small valid file reads (the writer above is right)', () => {
    const f = readModelFile(
      model(
        graph(
          [node('Relu', ['x'], ['y'], 'r'), node('Mul', ['y', 'k'], ['z'], 'm')],
          [tensor('k', [], 10, [0x00, 0x38])],
        ),
      ),
      'ok.onnx',
    );
    expect(f.graph!.layers.map((l) => l.name)).toEqual(['r', 'm']);
    // float16 0x3800 = 0.5, read as float32
    expect(f.graph!.layers[1]!.spec.cfg).toEqual({ kind: 'scalar', op: 'mul', value: 0.5, scalarFirst: false });
    expect(f.diagnostics).toEqual([]);
  });

  it('random bytes', () => {
    let s = 12345;
    const bytes = Uint8Array.from({ length: 4096 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24) & 0xff);
    expect(refusal(bytes).code).toBe('corrupt');
  });

  it('a truncated file', () => {
    const full = new Uint8Array(readFileSync('test/fixtures/modelfiles/onnx/lenet.onnx'));
    expect(refusal(full.subarray(0, full.length >> 1)).code).toBe('corrupt');
  });

  it('an initializer declaring 10^12 elements with a few bytes of data', () => {
    const e = refusal(
      model(graph([node('Relu', ['x'], ['y'])], [tensor('w', [1_000_000, 1_000_000], 1, f32([1, 2]))])),
    );
    expect(e.code).toBe('too-large');
    expect(e.message).toContain("tensor 'w'");
  });

  it('raw_data shorter than the dims declare', () => {
    const e = refusal(model(graph([node('Relu', ['x'], ['y'])], [tensor('w', [4, 4], 1, f32([1, 2, 3]))])));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/needs 64 bytes of data but holds 12 bytes/);
  });

  it('typed data shorter than the dims declare', () => {
    const e = refusal(model(graph([node('Relu', ['x'], ['y'])], [tensor('s', [3], 7, null, [intField(7, 1)])])));
    expect(e.code).toBe('truncated');
  });

  it('data kept outside the file (external data)', () => {
    const e = refusal(model(graph([node('Relu', ['x'], ['y'])], [tensor('w', [4], 1, null, [intField(14, 1)])])));
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('external_data=False');
  });

  it('a cyclic graph', () => {
    const g = graph([node('Relu', ['x', 'b'], ['a'], 'first'), node('Relu', ['a'], ['b'], 'second')]);
    const e = refusal(model(g));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/cycle/);
  });

  it('two nodes producing one value', () => {
    expect(refusal(model(graph([node('Relu', ['x'], ['a']), node('Relu', ['x'], ['a'])]))).message).toMatch(
      /two nodes produce the value 'a'/,
    );
  });

  it('a node reading a value nothing produces (a missing initializer): a diagnostic, the graph up to it', () => {
    const f = readModelFile(
      model(graph([node('Relu', ['x'], ['a'], 'ok'), node('Conv', ['a', 'missing_w'], ['b'], 'conv')])),
      'm.onnx',
    );
    expect(f.graph!.partial).toBe(true);
    expect(f.graph!.layers.map((l) => l.name)).toEqual(['ok']);
    expect(f.diagnostics).toEqual([expect.objectContaining({ code: 'model-file', node: 'conv' })]);
    expect(String(f.diagnostics[0]!.args['detail'])).toMatch(/reads 'missing_w'/);
  });

  it('subgraph attributes nested thousands deep are skipped, not followed', () => {
    let g = graph([node('Relu', ['x'], ['y'])]);
    for (let i = 0; i < 3000; i++)
      g = graph([node('If', ['c'], ['o'], '', [attr('then_branch', 5, [bytesField(6, g)])])]);
    const f = readModelFile(
      model(
        graph([
          node('Relu', ['x'], ['y'], 'r'),
          node('If', ['y'], ['z'], 'branch', [attr('then_branch', 5, [bytesField(6, g)])]),
        ]),
      ),
      'nested.onnx',
    );
    expect(f.graph!.layers.map((l) => l.name)).toEqual(['r']);
    expect(f.diagnostics).toEqual([expect.objectContaining({ code: 'unsupported-op', node: 'branch' })]);
  });

  it('groups nested 100,000 deep (the wire format recursing)', () => {
    expect(refusal(new Uint8Array(100_000).fill(0x0b)).code).toBe('corrupt');
  });

  it(`more than ${MAX_NODES.toLocaleString('en-US')} nodes are refused before decoding`, () => {
    // a million empty nodes: two bytes each
    const nodes = new Uint8Array(2_000_000);
    for (let i = 0; i < nodes.length; i += 2) nodes[i] = 0x0a;
    const e = refusal(model(cat([nodes, bytesField(11, valueInfo('x', [1]))])));
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('1,000,000 nodes');
  });

  it(`${MAX_NODES.toLocaleString('en-US')} nodes reading one value: read in bounded time`, () => {
    const nodes = Array.from({ length: MAX_NODES }, (_, i) => node('Relu', ['x'], [`y${i}`], `r${i}`));
    const f = readModelFile(model(graph(nodes)), 'wide.onnx');
    expect(f.graph!.layers).toHaveLength(MAX_NODES);
  });

  it('a folded constant over the element cap (ConstantOfShape of a huge shape)', () => {
    const g = graph(
      [node('ConstantOfShape', ['s'], ['big'], 'cos'), node('Add', ['x', 'big'], ['y'], 'add')],
      [tensor('s', [3], 7, i64([100_000, 100_000, 100_000]))],
    );
    expect(refusal(model(g)).code).toBe('too-large');
  });

  it('input sizes the file leaves open come from options.inputShape; without it they stay symbolic', () => {
    const w = tensor('w', [3, 2, 3, 3], 1, f32(new Array<number>(54).fill(0.1)));
    const g = graph([node('Conv', ['x', 'w'], ['y'], 'conv')], [w], valueInfo('x', ['batch', 2, 'h', 'w']));
    const given = readModelFile(model(g), 'open.onnx', { inputShape: [2, 7, 9] });
    expect(given.graph!.inputSource.kind).toBe('option');
    expect(given.graph!.layers[0]!.outputShape).toEqual([expect.objectContaining({ sym: 'N' }), 3, 5, 7]);
    const open = readModelFile(model(g), 'open.onnx');
    expect(open.graph!.inputShape).toEqual([
      2,
      expect.objectContaining({ sym: 'h' }),
      expect.objectContaining({ sym: 'w' }),
    ]);
    expect(open.graph!.totalParams).toBe(54);
    // SAME padding needs the sizes
    const same = graph(
      [
        node('Conv', ['x', 'w'], ['y'], 'conv', [
          attr('auto_pad', 3, [bytesField(4, new TextEncoder().encode('SAME_UPPER'))]),
        ]),
      ],
      [w],
      valueInfo('x', ['batch', 2, 'h', 'w']),
    );
    expect(readModelFile(model(same), 'same.onnx').diagnostics).toEqual([
      expect.objectContaining({ code: 'unsupported-op', node: 'conv' }),
    ]);
    expect(() => readModelFile(model(g), 'open.onnx', { inputShape: [7, 9] })).toThrow(
      /open.onnx: the input shape given has 2 axes/,
    );
  });

  it('no graph, or a graph whose inputs are all initializers', () => {
    expect(refusal(model(new Uint8Array(0))).message).toMatch(/no graph/);
    const g = cat([
      bytesField(1, node('Relu', ['w'], ['y'])),
      bytesField(5, tensor('w', [1], 1, f32([1]))),
      bytesField(11, valueInfo('w', [1])),
    ]);
    expect(refusal(model(g)).code).toBe('unsupported');
  });
});
