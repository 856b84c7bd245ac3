/**
 * The element cap is applied to a layer's weights before they are made: a kernel over the cap is
 * refused with a message naming it, and the weight source (the seeded initializers, a file) is
 * never asked for it — nothing of its size is allocated or drawn.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { getMaxElements, tensor } from '../../../src/engine/tensor';
import { runModel, RunError } from '../../../src/runtime/forward';
import { overCap } from '../../../src/runtime/session';

describe('weights over the element cap', () => {
  const cap = getMaxElements();
  // Dense(units) on 20,000 features: a (20000, units) kernel, just over the cap
  const units = Math.floor(cap / 20000) + 1;
  const src = `import keras\nmodel = keras.Sequential([keras.Input(shape=(20000,)), keras.layers.Dense(${units})])\n`;
  const graph = analyze(src).models[0]!;

  it('overCap names the kernel before anything runs', () => {
    expect(overCap(graph, 0)).toBe(
      `dense: its kernel (20000, ${units}) has ${(20000 * units).toLocaleString('en-US')} elements, over the cap of ${cap.toLocaleString('en-US')}`,
    );
  });

  it('runModel refuses it without asking the weight source for it', () => {
    const asked: string[] = [];
    const x = tensor([1, 20000], new Float32Array(20000));
    let thrown: unknown;
    try {
      runModel(graph, x, (_node, p) => {
        asked.push(p.name);
        return new Float32Array(p.shape.reduce((a, d) => a * d, 1));
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RunError);
    expect((thrown as RunError).code).toBe('too-many-elements');
    expect(asked).toEqual([]);
  });
});
