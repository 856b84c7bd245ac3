/** The explorer's state: selection, input, weights and presets per model, the what-if. Plain data: no editor needed. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { ExplorerState, modelKey, SAMPLES } from '../../../src/extension/explorer/state';
import type { WeightMatch } from '../../../src/runtime/weights';

const SRC = `import torch
import torch.nn as nn
m = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 2, 3))
m(torch.zeros(1, 1, 10, 10))
`;
const graph = analyze(SRC).models[0]!;
const DOC = 'file:///w/net.py';

describe('ExplorerState', () => {
  it('starts on the digit-3 sample with nothing selected', () => {
    const s = new ExplorerState();
    expect(s.docUri).toBeNull();
    expect(s.input).toEqual({ kind: 'sample', id: 'digit-3' });
    expect(SAMPLES).toContain('digit-3');
    expect(s.layerPresets()).toBeNull();
    expect(s.loadedWeights()).toBeNull();
  });

  it('offers every sample image shipped in media/samples, and only those', () => {
    const shipped = readdirSync('media/samples')
      .filter((f) => f.endsWith('.png'))
      .map((f) => f.slice(0, -4))
      .sort();
    expect([...SAMPLES].sort()).toEqual(shipped);
    expect(new Set(SAMPLES).size).toBe(SAMPLES.length);
  });

  it('selecting another layer of the same model keeps the what-if; another model or document drops it', () => {
    const s = new ExplorerState();
    s.select(DOC, 'm', 0);
    s.whatIf = { change: { stride: 2 }, graph };
    s.select(DOC, 'm', 2);
    expect(s.selected).toBe(2);
    expect(s.whatIf?.change).toEqual({ stride: 2 });
    expect(s.whatIfChange({ kernel: 5 })).toEqual({ stride: 2, kernel: 5 });
    expect(s.whatIfChange({ stride: 1 })).toEqual({ stride: 1 });
    s.select(DOC, 'other', 2);
    expect(s.whatIf).toBeNull();
    s.whatIf = { change: { stride: 2 }, graph };
    s.select('file:///w/other.py', 'other', 2);
    expect(s.whatIf).toBeNull();
    expect(s.whatIfChange({ kernel: 5 })).toEqual({ kernel: 5 });
    expect(s.isDocument('file:///w/other.py')).toBe(true);
    expect(s.key()).toBe(modelKey('file:///w/other.py', 'other'));
  });

  it('samples by id (an unknown id changes nothing); the input name as the panel shows it', () => {
    const s = new ExplorerState();
    s.chooseSample('tshirt');
    expect(s.inputName('drawing')).toBe('tshirt');
    s.chooseSample('not-a-sample');
    expect(s.input).toEqual({ kind: 'sample', id: 'tshirt' });
    s.input = { kind: 'drawing', width: 1, height: 1, rgba: new Uint8Array(4) };
    expect(s.inputName('그림')).toBe('그림');
    s.input = { kind: 'file', uri: { path: '/w/img/photo.png' } as never };
    expect(s.inputName('drawing')).toBe('photo.png');
  });

  it('weights are per model of a document', () => {
    const s = new ExplorerState();
    const w = { match: {} as WeightMatch, file: 'a.safetensors' };
    s.setWeights(DOC, 'm', w);
    s.select(DOC, 'other', 0);
    expect(s.loadedWeights()).toBeNull();
    s.select(DOC, 'm', 0);
    expect(s.loadedWeights()).toBe(w);
  });

  it('presets: on one convolution of a model at a time, cleared filter by filter, unknown names clear', () => {
    const s = new ExplorerState();
    s.select(DOC, 'm', 0);
    expect(s.setPreset(graph.layers[1], 0, 'sobel_x')).toBe(false); // ReLU
    expect(s.setPreset(undefined, 0, 'sobel_x')).toBe(false);
    expect(s.layerPresets()).toBeNull();
    expect(s.setPreset(graph.layers[0], 1, 'sobel_x')).toBe(true);
    expect(s.layerPresets()).toEqual({ layer: 0, presets: [null, 'sobel_x', null, null] });
    const before = s.layerPresets()!.presets;
    s.setPreset(graph.layers[0], 3, 'identity');
    expect(s.layerPresets()).toEqual({ layer: 0, presets: [null, 'sobel_x', null, 'identity'] });
    expect(before).toEqual([null, 'sobel_x', null, null]);
    s.setPreset(graph.layers[0], 9, 'identity'); // no such filter
    expect(s.layerPresets()!.presets).toHaveLength(4);
    s.setPreset(graph.layers[0], 3, 'no-such-preset');
    expect(s.layerPresets()).toEqual({ layer: 0, presets: [null, 'sobel_x', null, null] });
    // another convolution of the model: the presets move there
    s.select(DOC, 'm', 2);
    s.setPreset(graph.layers[2], 0, 'identity');
    expect(s.layerPresets()).toEqual({ layer: 2, presets: ['identity', null] });
    s.setPreset(graph.layers[2], 0, null);
    expect(s.layerPresets()).toBeNull();
    // another model has its own
    s.select(DOC, 'n', 0);
    expect(s.layerPresets()).toBeNull();
  });
});
