/**
 * The layer-family index: every kind of LayerCfg has exactly one family, and the Keras variable
 * names the families give agree with the names the Keras weight reader assigns from a saved
 * model's config (src/io/kerasConfig.ts, itself checked against files written by Keras in
 * test/unit/io/weights.test.ts) — so a layer's parameters are named once, consistently.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { kerasVariableNames } from '../../../src/io/kerasConfig';
import { familyOf, registeredKinds, type LayerKind } from '../../../src/model/layers';
import { paramSpecs } from '../../../src/model/nodes';

/** Every kind of the LayerCfg union: the compiler refuses this table when a kind is added or removed. */
const KINDS: Record<LayerKind, true> = {
  conv: true,
  pool: true,
  globalPool: true,
  adaptivePool: true,
  dense: true,
  batchNorm: true,
  standardize: true,
  layerNorm: true,
  groupNorm: true,
  localResponseNorm: true,
  activation: true,
  dropout: true,
  identity: true,
  input: true,
  flatten: true,
  reshape: true,
  merge: true,
  pad: true,
  crop: true,
  relu: true,
  prelu: true,
  channelPrelu: true,
  rescale: true,
  instanceNorm: true,
  pixelShuffle: true,
  binary: true,
  scalar: true,
  permute: true,
  transpose: true,
  squeeze: true,
  unsqueeze: true,
  slice: true,
  index: true,
  reduce: true,
  upsample: true,
  module: true,
  affineGrid: true,
  gridSample: true,
  unknown: true,
  opaque: true,
};

describe('layer families', () => {
  it('every layer kind has a family, and no family claims a kind that does not exist', () => {
    expect(registeredKinds().sort()).toEqual(Object.keys(KINDS).sort());
  });

  it('a kind no family owns is refused with its name', () => {
    expect(() => familyOf({ kind: 'nonsense' } as unknown as Parameters<typeof familyOf>[0])).toThrow(
      "no layer family for kind 'nonsense'",
    );
  });
});

describe('Keras variable names: layer families = the weight reader', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['layers.Conv2D(4, 3, input_shape=(8, 8, 3))', 'Conv2D', {}],
    ['layers.Conv2D(4, 3, use_bias=False, input_shape=(8, 8, 3))', 'Conv2D', { use_bias: false }],
    ['layers.DepthwiseConv2D(3, input_shape=(8, 8, 3))', 'DepthwiseConv2D', {}],
    ['layers.SeparableConv2D(4, 3, input_shape=(8, 8, 3))', 'SeparableConv2D', {}],
    ['layers.Conv2DTranspose(4, 3, input_shape=(8, 8, 3))', 'Conv2DTranspose', {}],
    ['layers.Dense(5, input_shape=(7,))', 'Dense', {}],
    ['layers.BatchNormalization(input_shape=(8, 8, 3))', 'BatchNormalization', {}],
    ['layers.BatchNormalization(center=False, input_shape=(8, 8, 3))', 'BatchNormalization', { center: false }],
    ['layers.BatchNormalization(scale=False, input_shape=(8, 8, 3))', 'BatchNormalization', { scale: false }],
    [
      'layers.BatchNormalization(center=False, scale=False, input_shape=(8, 8, 3))',
      'BatchNormalization',
      { center: false, scale: false },
    ],
  ];
  for (const [layer, className, config] of cases) {
    it(layer, () => {
      const r = analyze(`from tensorflow.keras import layers, models\nmodel = models.Sequential([${layer}])`);
      const node = r.models[0]!.layers.find((l) => l.spec.type === className)!;
      expect(paramSpecs(node)!.map((p) => p.name)).toEqual(kerasVariableNames({ name: node.name, className, config }));
    });
  }
});
