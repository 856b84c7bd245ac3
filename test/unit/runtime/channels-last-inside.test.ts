/**
 * A PyTorch model's activations kept channels-last between the layers that allow it
 * (src/runtime/forward.ts): every layer's output, read as a LayerRun's output, is the NCHW tensor
 * the all-NCHW run gives (the values against real PyTorch: torch-forward.test.ts, both ways);
 * an output is moved back once, when read; and an engine refusal inside a chain is told with the
 * framework's NCHW shapes, as the all-NCHW run tells it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { setMaxElements, tensor } from '../../../src/engine';
import type { LayerNode } from '../../../src/model/ir';
import { runModel, RunError, type WeightSource } from '../../../src/runtime/forward';
import type { ParamSpec } from '../../../src/runtime/init';
import { randomArray, rng } from '../helpers/random';

const SRC = `
import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.bn(self.conv1(x))))
        y = self.conv2(x)
        x = torch.relu(x + y) * 0.5
        x = torch.flatten(x, 1)
        return self.fc(x)

model = Net()
out = model(torch.randn(1, 3, 16, 16))
`;

const graph = analyze(SRC).models.find((m) => m.name === 'Net')!;
const r = rng(5);
const values = new Map<string, Float32Array>();
const weights: WeightSource = (node: LayerNode, p: ParamSpec) => {
  const key = `${node.name}.${p.name}`;
  const n = p.shape.reduce((a, b) => a * b, 1);
  if (!values.has(key))
    values.set(key, p.name === 'running_var' ? randomArray(r, n).map((v) => 1 + Math.abs(v)) : randomArray(r, n));
  return values.get(key)!;
};
const input = tensor([1, 3, 16, 16], randomArray(rng(9), 3 * 16 * 16));

afterEach(() => setMaxElements(1 << 30));

describe('an activation written over an output nothing reads afterwards', () => {
  it('the last output equals the all-kept run, both ways; the ReLU wrote over the batch norm output it was given', () => {
    const all = runModel(graph, input, weights, { channelsLastInside: false });
    const last = graph.layers.length - 1;
    const want = Array.from(all[last]!.output.data);
    const relu = graph.layers.findIndex((l) => l.name === 'relu');
    const bn = graph.layers.findIndex((l) => l.name === 'bn');
    expect(relu).toBe(bn + 1);
    for (const channelsLastInside of [true, false]) {
      // the batch norm's output as the caller saw it then (its values copied), and the tensor itself
      let seen: { copy: number[]; tensor: { data: Float32Array } } | null = null;
      const runs = runModel(graph, input, weights, {
        channelsLastInside,
        keep: (i) => i === last,
        onLayer: (r, i) => {
          if (i === bn) seen = { copy: Array.from(r.output.data), tensor: r.output };
        },
      });
      expect(Array.from(runs[0]!.output.data)).toEqual(want);
      const { copy, tensor: held } = seen!;
      expect(copy).toEqual(Array.from(all[bn]!.output.data));
      if (!channelsLastInside) {
        // on NCHW the ReLU ran on that very tensor: it now holds the ReLU's values
        expect(Array.from(held.data)).toEqual(Array.from(all[relu]!.output.data));
        expect(Array.from(held.data)).not.toEqual(copy);
      }
    }
    // kept, or read by a later layer too, it is left alone
    const keptBn = runModel(graph, input, weights, { channelsLastInside: false, keep: (i) => i === bn || i === last });
    expect(Array.from(keptBn[0]!.output.data)).toEqual(Array.from(all[bn]!.output.data));
  });
});

describe('channels-last inside a PyTorch model', () => {
  it('gives every layer the output of the all-NCHW run, in NCHW', () => {
    expect(graph.layers.length).toBeGreaterThan(7);
    const inside = runModel(graph, input, weights);
    const nchw = runModel(graph, input, weights, { channelsLastInside: false });
    expect(inside.map((x) => x.layer.name)).toEqual(nchw.map((x) => x.layer.name));
    for (let i = 0; i < inside.length; i++) {
      const a = inside[i]!.output;
      const b = nchw[i]!.output;
      expect(a.shape, inside[i]!.layer.name).toEqual(b.shape);
      let worst = 0;
      for (let k = 0; k < b.data.length; k++) worst = Math.max(worst, Math.abs(a.data[k]! - b.data[k]!));
      expect(worst, inside[i]!.layer.name).toBeLessThan(1e-5);
    }
  });

  it('moves an output back once, when first read', () => {
    const [conv] = runModel(graph, input, weights, { keep: (i) => i === 0 });
    expect(conv!.layer.name).toBe('conv1');
    const first = conv!.output;
    expect(first.shape).toEqual([1, 8, 16, 16]);
    expect(conv!.output).toBe(first);
  });

  it('an engine refusal inside a chain names the NCHW shape, as the all-NCHW run does', () => {
    // the cap lets the input (768 values) and conv1's weights through, not conv1's output (2,048)
    setMaxElements(2000);
    const message = (channelsLastInside: boolean): string => {
      try {
        runModel(graph, input, weights, { channelsLastInside });
      } catch (e) {
        expect(e).toBeInstanceOf(RunError);
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const nchw = message(false);
    expect(nchw).toMatch(/\[1, 8, 16, 16\]/);
    expect(message(true)).toBe(nchw);
  });
});
