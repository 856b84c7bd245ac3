/**
 * The state the host posts to the panel always passes the protocol's validator (which the webview
 * applies, dropping what fails, so the panel would stop updating without a word): too many layers,
 * too many parameters, too-long names are cut, and the panel's message says "too large to draw".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { layerRows } from '../../../src/present/layerView';
import { clip, fitPanelState, panelIndex } from '../../../src/present/panelState';
import { isHostToWebview, MAX_PANEL_LAYERS, type LayerRow, type ModelState } from '../../../src/shared/protocol';

const valid = (state: unknown) => isHostToWebview({ type: 'state', runId: 1, state });

function row(i: number, over: Partial<LayerRow> = {}): LayerRow {
  return {
    index: i,
    name: `l${i}`,
    type: 'Dense',
    kind: 'dense',
    outputShape: '(None, 4)',
    params: 20,
    line: i,
    error: null,
    ...over,
  };
}

function model(layers: LayerRow[], over: Partial<ModelState> = {}): ModelState {
  return {
    kind: 'model',
    modelName: 'm',
    framework: 'keras',
    layers,
    selected: 0,
    layer: null,
    inputName: 'digit-3',
    busy: false,
    message: null,
    ...over,
  };
}

describe('fitPanelState', () => {
  it('a model of 12,000 layers: the first 10,000 rows and a message with the rest counted', () => {
    const s = model(
      Array.from({ length: 12_000 }, (_, i) => row(i)),
      { selected: 11_000 },
    );
    expect(valid(s)).toBe(false);
    const f = fitPanelState(s) as ModelState;
    expect(valid(f)).toBe(true);
    expect(f.layers).toHaveLength(MAX_PANEL_LAYERS);
    expect(f.selected).toBe(MAX_PANEL_LAYERS - 1);
    expect(f.message).toBe(
      'too large to draw: the model has 12,000 layers; the strip lists the first 10,000 (… 2,000 more layers)',
    );
    expect(panelIndex(11_000, 12_000)).toBe(MAX_PANEL_LAYERS - 1);
    // in Korean, with the same numbers
    expect((fitPanelState(s, 'ko') as ModelState).message).toBe(
      '너무 커서 그릴 수 없습니다: 모델의 층이 12,000개라 처음 10,000개만 보여 줍니다 (… 나머지 2,000개)',
    );
  });

  it('over 1e15 parameters, a 600-character name: the count as ?, the name with an ellipsis; earlier messages kept', () => {
    const s = model([row(0, { params: 2e15 }), row(1, { name: 'n'.repeat(600), params: Number.NaN })], {
      modelName: 'M'.repeat(700),
      message: 'weights: 1 layer could not be loaded',
    });
    const f = fitPanelState(s) as ModelState;
    expect(valid(f)).toBe(true);
    expect(f.layers.map((r) => r.params)).toEqual([null, null]);
    expect(f.layers[1]!.name).toBe(`${'n'.repeat(499)}…`);
    expect(f.modelName).toHaveLength(500);
    expect(f.message).toBe(
      'weights: 1 layer could not be loaded · too large to draw: 2 layers have more than 1,000,000,000,000,000 parameters (shown as ?) · 1 layer name is cut to 500 characters',
    );
  });

  it('rows the host builds from a real model with an absurd name are valid after fitting', () => {
    const src = `import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, name='${'x'.repeat(5000)}')])\n`;
    const g = analyze(src).models[0]!;
    const rows = layerRows(g, () => 0, new Map());
    expect(valid(model(rows))).toBe(false);
    expect(valid(fitPanelState(model(rows)))).toBe(true);
  });

  it('any state of rows with arbitrary names, counts and lines fits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.string({ maxLength: 700 }),
            type: fc.string({ maxLength: 300 }),
            params: fc.oneof(fc.constant(null), fc.double(), fc.integer()),
            line: fc.oneof(fc.integer(), fc.double()),
          }),
          { maxLength: 30 },
        ),
        fc.string({ maxLength: 12_000 }),
        (rs, message) => {
          const s = model(
            rs.map((r, i) => row(i, r as Partial<LayerRow>)),
            { message },
          );
          expect(valid(fitPanelState(s))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clip', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
  });
});
