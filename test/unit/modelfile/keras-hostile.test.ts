/**
 * Hostile and broken Keras model files: each is one clean InputError naming the file, found in
 * bounded time and memory, never a TypeError or a stack overflow from deep inside a parser.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/io/errors';
import { listZip, readZipEntry } from '../../../src/io/zip';
import { readModelFile } from '../../../src/modelfile';
import { MAX_CONFIG_LAYERS } from '../../../src/modelfile/keras/config';
import { jsonDepth, MAX_CONFIG_BYTES } from '../../../src/modelfile/keras/read';
import { makeZip, type ZipInput } from '../helpers/zipWriter';

const DIR = 'test/fixtures/modelfiles/keras';

/** The entries of a real .keras file (Keras 3.15), to rebuild with changes. */
function realEntries(file: string): Map<string, Uint8Array> {
  const bytes = new Uint8Array(readFileSync(`${DIR}/${file}`));
  return new Map(listZip(bytes, file).map((e) => [e.name, readZipEntry(bytes, file, e, 1 << 26)]));
}

const REAL = realEntries('with_lambda.keras');
const WEIGHTS: ZipInput = { name: 'model.weights.h5', data: REAL.get('model.weights.h5')! };
const META: ZipInput = { name: 'metadata.json', data: REAL.get('metadata.json')! };

function refuse(bytes: Uint8Array, name: string, message: string | RegExp): InputError {
  let err: unknown;
  const t = performance.now();
  try {
    readModelFile(bytes, name);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.message.startsWith(`${name}: `), e.message).toBe(true);
  if (typeof message === 'string') expect(e.message).toContain(message);
  else expect(e.message).toMatch(message);
  expect(performance.now() - t).toBeLessThan(10_000);
  return e;
}

function keras(config: string | Uint8Array, extra: Partial<ZipInput> = {}): Uint8Array {
  return makeZip([META, { name: 'config.json', data: config, ...extra }, WEIGHTS]);
}

function sequential(layers: unknown[]): string {
  return JSON.stringify({
    class_name: 'Sequential',
    config: {
      name: 's',
      layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4] } }, ...layers],
    },
  });
}

describe('hostile Keras model files', () => {
  it('the rebuilt archive itself reads (the cases below change one thing each)', () => {
    const mf = readModelFile(keras(REAL.get('config.json')!), 'ok.keras');
    expect(mf.graph!.layers.map((l) => l.name)).toEqual(['conv2d_8']);
  });

  it('a config.json over the size cap, by its declared size: refused before it is inflated', () => {
    refuse(
      keras('{}', { declaredSize: MAX_CONFIG_BYTES + 1 }),
      'big.keras',
      `config.json: declared uncompressed size 16,777,217 bytes is over the limit of 16,777,216 bytes`,
    );
  });

  it('a zip bomb: config.json declares 1 KB and inflates to 8 MB: stopped as soon as it passes 1 KB', () => {
    const bomb = new Uint8Array(8 << 20).fill(0x20);
    refuse(keras(bomb, { deflate: true, declaredSize: 1024 }), 'bomb.keras', 'compressed data inflates past');
  });

  it('a config.json nested 100,000 deep: refused before JSON.parse', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    refuse(keras(deep), 'deep.keras', 'the model config nests deeper than 64 levels');
    expect(jsonDepth('{"a": "[[[[[[[[", "b": [[1]]}', 64)).toBe(3);
  });

  it('a config.json nested 65 deep inside a layer config is refused; 40 deep is fine', () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
    const dense = (n: number) => ({ class_name: 'Dense', config: { name: 'd', units: 2, junk: nest(n) } });
    refuse(keras(sequential([dense(65)])), 'nest.keras', 'nests deeper than 64 levels');
    expect(readModelFile(keras(sequential([dense(40)])), 'ok.keras').graph!.layers[0]!.name).toBe('d');
  });

  it('two config.json entries: the last one counts, as in Python zipfile', () => {
    const good = sequential([{ class_name: 'Dense', config: { name: 'last_one', units: 2 } }]);
    const both = makeZip([
      META,
      { name: 'config.json', data: 'not json' },
      { name: 'config.json', data: good },
      WEIGHTS,
    ]);
    expect(readModelFile(both, 'dup.keras').graph!.layers.map((l) => l.name)).toEqual(['last_one']);
    const reversed = makeZip([
      META,
      { name: 'config.json', data: good },
      { name: 'config.json', data: 'not json' },
      WEIGHTS,
    ]);
    refuse(reversed, 'dup.keras', 'config.json: the model config is not valid JSON');
  });

  it(`a config with more than ${MAX_CONFIG_LAYERS.toLocaleString('en-US')} layers`, () => {
    const many = Array.from({ length: MAX_CONFIG_LAYERS + 1 }, (_, i) => ({
      class_name: 'Dense',
      config: { name: `d${i}`, units: 1 },
    }));
    refuse(keras(sequential(many)), 'many.keras', 'the model config has over 10,000 layers');
  });

  it('a weights file declaring 3 GB in the archive', () => {
    const bytes = makeZip([
      META,
      { name: 'config.json', data: REAL.get('config.json')! },
      { ...WEIGHTS, declaredSize: 3_000_000_000 },
    ]);
    refuse(bytes, 'huge.keras', 'model.weights.h5: declared uncompressed size 3,000,000,000 bytes is over the limit');
  });

  it('a legacy .h5 whose weight declares 65536 × 65536 values (16 GB in a 9 KB file)', () => {
    const bytes = new Uint8Array(readFileSync(`${DIR}/hostile_huge_tensor.h5`));
    refuse(bytes, 'hostile_huge_tensor.h5', /dense\/kernel/);
  });

  it('an archive without config.json', () => {
    refuse(makeZip([META, WEIGHTS]), 'noconfig.keras', 'ZIP archive without config.json: not a Keras model file');
  });

  it('a config.json that is not a model', () => {
    refuse(keras('{"class_name": "Dense", "config": {"units": 3}}'), 'dense.keras', 'describes a Dense, not a');
    refuse(keras('[1, 2, 3]'), 'list.keras', 'the model config has no class_name');
    refuse(keras('"text"'), 'text.keras', 'the model config has no class_name');
    refuse(
      keras('{"class_name": "Sequential", "config": {"layers": 5}}'),
      'seq.keras',
      'not a Sequential or functional',
    );
  });

  it('layer entries of the wrong type, inputs that are not there, an input without a shape', () => {
    refuse(keras(sequential([7])), 'seven.keras', "layer 2 of model 's' is not an object");
    const functional = (layers: unknown[], inputs: unknown, outputs: unknown) =>
      JSON.stringify({
        class_name: 'Functional',
        config: { name: 'f', layers, input_layers: inputs, output_layers: outputs },
      });
    const input = {
      class_name: 'InputLayer',
      name: 'x',
      config: { name: 'x', batch_shape: [null, 4] },
      inbound_nodes: [],
    };
    refuse(
      keras(functional([input], ['y', 0, 0], ['x', 0, 0])),
      'f.keras',
      'model \'f\' lists input "y", which it does not have',
    );
    refuse(keras(functional([input], null, null)), 'f.keras', 'does not list its inputs and outputs');
    const noShape = { ...input, config: { name: 'x' } };
    refuse(keras(functional([noShape], ['x', 0, 0], ['x', 0, 0])), 'f.keras', "input layer 'x' has no shape");
  });

  it('a functional config whose calls form a cycle stops the model instead of looping', () => {
    const input = {
      class_name: 'InputLayer',
      name: 'x',
      config: { name: 'x', batch_shape: [null, 4] },
      inbound_nodes: [],
    };
    const a = { class_name: 'Dense', name: 'a', config: { name: 'a', units: 4 }, inbound_nodes: [[['b', 0, 0, {}]]] };
    const b = { class_name: 'Dense', name: 'b', config: { name: 'b', units: 4 }, inbound_nodes: [[['a', 0, 0, {}]]] };
    const config = JSON.stringify({
      class_name: 'Functional',
      config: { name: 'loop', layers: [input, a, b], input_layers: ['x', 0, 0], output_layers: ['b', 0, 0] },
    });
    const mf = readModelFile(keras(config), 'loop.keras');
    expect(mf.graph!.partial).toBe(true);
    expect(mf.diagnostics.map((d) => d.node)).toContain('a');
  });

  it('truncated and damaged archives', () => {
    const good = keras(REAL.get('config.json')!);
    refuse(good.subarray(0, good.length - 30), 'cut.keras', /ZIP/);
    const flipped = good.slice();
    flipped[flipped.length - 200] = flipped[flipped.length - 200]! ^ 0xff;
    expect(() => readModelFile(flipped, 'flip.keras')).toThrow(InputError);
  });
});
