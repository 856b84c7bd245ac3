/** Presets are one slot per filter: a layer with an absurd filter count is refused, not allocated. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { ExplorerState } from '../../../src/extension/explorer/state';
import type { LayerNode } from '../../../src/model/ir';
import { MAX_PRESET_FILTERS } from '../../../src/shared/protocol';

const SRC = `import torch.nn as nn
import torch
m = nn.Sequential(nn.Conv2d(1, 4, 3))
m(torch.zeros(1, 1, 10, 10))
`;

function withFilters(layer: LayerNode, filters: number): LayerNode {
  const cfg = layer.spec.cfg as { kind: 'conv'; c: { filters: number } };
  return { ...layer, spec: { ...layer.spec, cfg: { ...cfg, c: { ...cfg.c, filters } } } } as unknown as LayerNode;
}

describe('ExplorerState.setPreset caps the filter count', () => {
  it('2e9 filters: refused at once, nothing allocated; a filter outside the layer is refused', () => {
    const conv = analyze(SRC).models[0]!.layers[0]!;
    const s = new ExplorerState();
    s.select('file:///w/a.py', 'm', 0);
    const t0 = performance.now();
    expect(s.setPreset(withFilters(conv, 2e9), 5, 'sobel_x')).toBe(false);
    expect(s.setPreset(withFilters(conv, MAX_PRESET_FILTERS + 1), 0, 'sobel_x')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.layerPresets()).toBeNull();
    expect(s.setPreset(conv, 4, 'sobel_x')).toBe(false);
    expect(s.setPreset(withFilters(conv, MAX_PRESET_FILTERS), MAX_PRESET_FILTERS - 1, 'sobel_x')).toBe(true);
    expect(s.layerPresets()!.presets).toHaveLength(MAX_PRESET_FILTERS);
  });
});
