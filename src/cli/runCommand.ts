/**
 * `convlens forward` and `convlens render`: run a model from its source on a real input, with
 * weights from a file, presets, or the seeded initializers, and write every layer's activation
 * (.npy + index.json) or one layer's feature maps as a PNG grid.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { activeKernels, fmaKernelsActive, type Tensor } from '../engine';
import { InputError } from '../io/errors';
import { printable } from '../shared/text';
import { decodeImage } from '../io/image';
import { readNpy, writeNpy } from '../io/npy';
import { encodePng, isConvLensPng } from '../io/png';
import { nonFiniteWarnings } from '../io/weightCheck';
import { loadWeights } from '../io/weights';
import { isKnown } from '../shared/dims';
import { diagnosticMessage } from '../model/diagnostics';
import type { ModelGraph } from '../model/ir';
import { runModel, RunError, type LayerRun } from '../runtime/forward';
import { isPreset, PRESET_NAMES, type PresetName } from '../runtime/presets';
import { makeWeightSource, overCap, presetTarget, type PresetAssignment } from '../runtime/session';
import { InputMismatch, inputShapeFrom, modelInput, type InputSource } from '../runtime/input';
import { conventions } from '../model/conventions';
import { matchWeights, type WeightMatch } from '../runtime/weights';
import { featureMapImage, featureMapSvg } from '../present/featureMaps';
import { isConvLensSvg } from '../present/featureMapSvg';
import { FEATURE_COLORMAPS, type FeatureColormap } from '../present/colormap';
import { fontDraws } from '../present/font5x7';
import { flag, has, HELP_FLAG, parseArgs, UsageError, type ParsedArgs } from './args';
import { FileError, parseInputShapeFlag, parseLocale, readBinaryFile } from './files';
import { loadFile, readModelBytes } from './modelSource';
import { INDEX_FILE, OutputFolder, safeFileName, UniqueNames, WRITTEN_BY, writeFileSafely } from './outputFolder';
import { registerCommand, type Io } from './registry';
import { enableEngineThreads } from '../worker/threads';

const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;

const COMMON_FLAGS = {
  input: { value: true, short: 'i' },
  weights: { value: true, short: 'w' },
  model: { value: true, short: 'm' },
  layer: { value: true, short: 'l' },
  seed: { value: true },
  preset: { value: true },
  out: { value: true, short: 'o' },
  scale: { value: true },
  'input-shape': { value: true },
  'site-packages': { value: true, repeat: true },
  python: { value: true },
  locale: { value: true },
  normalize: { value: true },
  colormap: { value: true },
  force: { value: false },
  help: HELP_FLAG,
} as const;

/** Version of index.json's layout. */
export const INDEX_SCHEMA_VERSION = 1;

const FORWARD_HELP = `Usage: convlens forward FILE --input X --out DIR [options]

Runs the model in FILE (Keras or PyTorch source, or a saved model: .keras, a full-model .h5,
.onnx — with its own trained weights) on an input and writes every layer's activation as
DIR/<layer>.npy (float32, batch 1, the framework's layout), plus DIR/index.json (layer → file).
DIR is written whole at the end, or left as it was if the run fails; files in DIR that an
earlier run did not write are never overwritten without --force.

  -i, --input X      a PNG or JPEG image (resized and converted to the model's input) or a .npy array
  -w, --weights W    .safetensors (PyTorch state dict), .weights.h5 / .keras / .h5 (Keras);
                     replaces the weights of a saved model, or of the file the source loads
                     (load_model('…'), model.load_weights('…'), load_file('….safetensors'))
  -m, --model NAME   which model, when the file has several
  -l, --layer NAME   only this layer's activation
  --force            write into DIR even though it holds other files (same names are replaced)
  --seed N           seed of the default initializers (default 0)
  --preset NAMES     preset kernels for the filters of the first convolution (or --layer):
                     ${PRESET_NAMES.join(', ')}; a comma list cycles over the filters
  --scale 1|255      image pixels scaled to [0, 1] (default) or kept in [0, 255]
  --input-shape DIMS input size without batch, for models whose file does not say
  --site-packages DIR also read imported modules from DIR (repeatable)
  --python PATH      the Python environment whose packages to read (interpreter, folder or
                     site-packages; default: a .venv next to the file or above it)
  -o, --out DIR      the output folder
  -h, --help         this help

FILE may be - (source from standard input). index.json carries a schemaVersion.`;

const RENDER_HELP = `Usage: convlens render FILE --layer NAME --out maps.png|maps.svg [options]

Draws the feature maps of one layer — one tile per channel, labelled, with a colormap legend.
A .svg output keeps its text as text (any script: Korean titles with --locale ko, names in Hangul);
the PNG's built-in font draws ASCII only.

  --input IMG        a PNG or JPEG image or a .npy array (default: a bundled sample that fits the model)
  --normalize MODE   per-map (default) or per-layer colour scale
  --colormap NAME    viridis (default), magma or gray
  --locale en|ko     language of the SVG's text (default: from LANG)
  -o, --out FILE     the PNG or SVG to write (by its extension)
  -h, --help         this help
  (and -i/-w/-m/-l as for forward, and --weights, --model, --seed, --preset, --scale, --input-shape, --site-packages, --python
  as for forward)`;

/** Messages and paths are longer than names; still one bounded line. */
const LONG = 2000;

function readInputFile(path: string): Uint8Array {
  return readBinaryFile(path, MAX_INPUT_FILE_BYTES, 'inputs');
}

/** A bundled sample that suits the model: a 28×28 digit for small gray inputs, else the scene. */
export function defaultSample(channels: number, size: number): string {
  // dist/cli.js → ../media; unbundled src/cli/*.ts → ../../media
  const dir =
    [resolve(__dirname, '..', 'media', 'samples'), resolve(__dirname, '..', '..', 'media', 'samples')].find((d) =>
      existsSync(d),
    ) ?? resolve(__dirname, '..', 'media', 'samples');
  return join(dir, channels === 1 && size <= 64 ? 'digit-3.png' : 'scene-224.png');
}

function pickModel(models: ModelGraph[], name: string | undefined, file: string): ModelGraph {
  if (models.length === 0) throw new UsageError(`no Keras or PyTorch model found in ${file}`);
  if (name !== undefined) {
    const m = models.find((x) => x.name === name) ?? models.find((x) => x.variable === name);
    if (!m)
      throw new UsageError(
        `no model named '${printable(name)}' in ${file} (models: ${models.map((x) => printable(x.name)).join(', ')})`,
      );
    return m;
  }
  if (models.length > 1)
    throw new UsageError(
      `${file} has ${models.length} models (${models.map((x) => printable(x.name)).join(', ')}); choose one with --model`,
    );
  return models[0]!;
}

function parsePresets(v: string | undefined): PresetName[] | null {
  if (v === undefined) return null;
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!isPreset(n)) throw new UsageError(`unknown preset '${n}' (presets: ${PRESET_NAMES.join(', ')})`);
  if (names.length === 0) throw new UsageError('--preset needs at least one name');
  return names as PresetName[];
}

function parseSeed(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${v}'`);
  return n;
}

interface Prepared {
  graph: ModelGraph;
  input: Tensor;
  inputLabel: string;
  weights: WeightMatch | null;
  weightsLabel: string;
  preset: PresetAssignment | null;
  seed: number;
}

function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY';
}

function prepare(args: ParsedArgs, io: Io, cmd: string, inputRequired: boolean): Prepared {
  if (args.positional.length !== 1)
    throw new UsageError(args.positional.length === 0 ? 'missing FILE' : `${cmd} takes one FILE`);
  const file = args.positional[0]!;
  const locale = parseLocale(flag(args, 'locale'));
  const seed = parseSeed(flag(args, 'seed'));
  const scaleFlag = flag(args, 'scale') ?? '1';
  if (scaleFlag !== '1' && scaleFlag !== '255') throw new UsageError(`--scale must be 1 or 255, got '${scaleFlag}'`);
  const presets = parsePresets(flag(args, 'preset'));
  let optionShape = parseInputShapeFlag(flag(args, 'input-shape'));
  const warn = (n: string) => io.err(`convlens ${cmd}: ${printable(n, LONG)}`);
  let loaded = loadFile(file, args, optionShape, warn, io);
  let result = loaded.result;
  let graph = pickModel(result.models, flag(args, 'model'), file);
  for (const d of result.diagnostics.filter((x) => x.severity === 'error'))
    io.err(`${file}: ${printable(diagnosticMessage(d, locale), LONG)} [${d.code}]`);

  // the input: an image (any size; resized to the model's), a .npy array, or a bundled sample
  const inputPath = flag(args, 'input');
  if (inputRequired && inputPath === undefined) throw new UsageError('missing --input (an image or a .npy file)');
  const conv = conventions(graph.framework);
  const s = graph.inputShape ?? [];
  const split = s.length === 3 ? conv.splitShape([0, ...s]) : null;
  const channels = split && isKnown(split.channels) ? split.channels : null;
  const side = split && isKnown(split.spatial[0]!) ? split.spatial[0] : 224;
  const path = inputPath ?? defaultSample(channels ?? 3, side);
  const bytes = readInputFile(path);
  const source: InputSource = isNpy(bytes)
    ? { kind: 'array', name: basename(path), ...readNpy(bytes, basename(path)) }
    : { kind: 'image', name: basename(path), image: decodeImage(bytes, basename(path)) };
  let input: Tensor;
  try {
    // a model of unknown input size takes the size of what it is given
    const fromInput = optionShape ? null : inputShapeFrom(graph, source);
    if (fromInput) {
      optionShape = fromInput;
      loaded = loadFile(file, args, optionShape, warn, io);
      result = loaded.result;
      graph = pickModel(result.models, flag(args, 'model'), file);
    }
    input = modelInput(graph, source, scaleFlag === '255' ? 255 : 1).input;
  } catch (e) {
    if (e instanceof InputMismatch) throw new UsageError(e.message);
    throw e;
  }

  let weights: WeightMatch | null = null;
  let weightsLabel = `random initial weights (seed ${seed})`;
  const wPath = flag(args, 'weights');
  // --weights; else a saved model's own weights; else the file the source loads them from
  // (`keras.models.load_model('x.keras')`, `model.load_weights('x.weights.h5')`)
  const fromSource = graph.weightsFile?.path;
  const wName =
    wPath !== undefined
      ? basename(wPath)
      : loaded.modelFile
        ? basename(file)
        : fromSource !== undefined
          ? basename(fromSource)
          : null;
  const tensors =
    wPath !== undefined
      ? loadWeights(readModelBytes(wPath), basename(wPath)).tensors
      : loaded.modelFile
        ? loaded.modelFile.weights
        : fromSource !== undefined
          ? loadWeights(readModelBytes(fromSource), basename(fromSource)).tensors
          : null;
  if (tensors && wName !== null) {
    for (const w of nonFiniteWarnings(wName, tensors)) io.err(`convlens ${cmd}: warning: ${w}`);
    weights = matchWeights(graph, tensors);
    if (weights.problems.length > 0) {
      for (const p of weights.problems) io.err(`${printable(wName)}: ${printable(p.message, LONG)}`);
      throw new RunError(
        '',
        `${wName}: ${weights.problems.length} layer${weights.problems.length > 1 ? 's' : ''} could not be loaded`,
      );
    }
    if (weights.unused.length)
      io.err(
        `${wName}: ${weights.unused.length} tensor(s) not used by the model: ${weights.unused
          .slice(0, 5)
          .map((n) => printable(n))
          .join(', ')}${weights.unused.length > 5 ? ', …' : ''}`,
      );
    weightsLabel = `${wPath === undefined ? 'trained weights' : 'weights'} from ${wName}${weights.method === 'order' ? ' (matched by layer order)' : ''}`;
  }
  let preset: PresetAssignment | null = null;
  if (presets) {
    const target = presetTarget(graph, flag(args, 'layer') ?? null);
    if (!target)
      throw new UsageError(
        flag(args, 'layer')
          ? `--preset needs --layer to be a 2-D convolution`
          : 'the model has no 2-D convolution for --preset',
      );
    preset = { layer: target.index, presets };
    weightsLabel = `preset ${presets.join(', ')} on ${target.name}${weights ? `, ${weightsLabel}` : ''}`;
  }
  return { graph, input, inputLabel: basename(path), weights, weightsLabel, preset, seed };
}

function layerIndex(graph: ModelGraph, name: string | undefined): number {
  if (name === undefined) return graph.layers.length - 1;
  const i = graph.layers.findIndex((l) => l.name === name);
  if (i < 0)
    throw new UsageError(
      `no layer named '${printable(name)}' in ${printable(graph.name)} (layers: ${graph.layers
        .slice(0, 12)
        .map((l) => printable(l.name))
        .join(', ')}${graph.layers.length > 12 ? ', …' : ''})`,
    );
  return i;
}

function progress(io: Io): (r: LayerRun, i: number, total: number) => void {
  const start = performance.now();
  return (r, i, total) => {
    if (performance.now() - start > 1000)
      io.err(`[${i + 1}/${total}] ${printable(r.layer.name)} (${printable(r.layer.spec.type)}) ${r.ms.toFixed(0)} ms`);
  };
}

function stats(d: Float32Array): { min: number; max: number; mean: number } {
  // in blocks: a function called again and again is optimized sooner than one long loop (the
  // command runs once, cold); the same additions in the same order
  const acc = new Float64Array([Infinity, -Infinity, 0]);
  for (let b = 0; b < d.length; b += 4096) statsBlock(d, b, Math.min(d.length, b + 4096), acc);
  return { min: acc[0]!, max: acc[1]!, mean: d.length ? acc[2]! / d.length : 0 };
}

function statsBlock(d: Float32Array, begin: number, end: number, acc: Float64Array): void {
  let min = acc[0]!;
  let max = acc[1]!;
  let sum = acc[2]!;
  for (let i = begin; i < end; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  acc[0] = min;
  acc[1] = max;
  acc[2] = sum;
}

export { safeFileName, UniqueNames } from './outputFolder';

async function runOrReport(cmd: string, io: Io, body: () => number): Promise<number> {
  try {
    return body();
  } catch (e) {
    if (e instanceof FileError || e instanceof InputError) {
      io.err(`convlens ${cmd}: ${printable(e.message, LONG)}`);
      return 2;
    }
    if (e instanceof RunError) {
      io.err(`convlens ${cmd}: ${printable(e.message, LONG)}`);
      return 1;
    }
    throw e;
  }
}

async function forward(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, COMMON_FLAGS);
  if (has(args, 'help')) {
    io.out(FORWARD_HELP);
    return 0;
  }
  return runOrReport('forward', io, () => {
    enableEngineThreads();
    const out = flag(args, 'out');
    if (out === undefined) throw new UsageError('missing --out DIR');
    const p = prepare(args, io, 'forward', true);
    const only = flag(args, 'layer');
    const until = layerIndex(p.graph, only);
    const cap = overCap(p.graph, until);
    if (cap) throw new RunError('', `stopped before running: ${cap}`);
    const folder = new OutputFolder(out, has(args, 'force'));
    const index: unknown[] = [];
    const report = progress(io);
    const names = new UniqueNames();
    try {
      runModel(p.graph, p.input, makeWeightSource(p.seed, p.weights, p.preset, p.graph), {
        until,
        keep: () => false,
        onLayer: (r, i, total) => {
          report(r, i, total);
          if (only !== undefined && r.layer.name !== only) return;
          const fileName = `${names.take(safeFileName(r.layer.name))}.npy`;
          folder.write(fileName, writeNpy([...r.output.shape], r.output.data));
          index.push({
            layer: r.layer.name,
            type: r.layer.spec.type,
            file: fileName,
            shape: r.output.shape,
            ...stats(r.output.data),
            ms: Math.round(r.ms * 100) / 100,
          });
        },
      });
      folder.write(
        INDEX_FILE,
        JSON.stringify(
          {
            schemaVersion: INDEX_SCHEMA_VERSION,
            writtenBy: WRITTEN_BY,
            model: p.graph.name,
            framework: p.graph.framework,
            input: p.inputLabel,
            inputShape: p.input.shape,
            weights: p.weightsLabel,
            // the last bits of the values depend on it (fused multiply-adds round once)
            kernels: `${activeKernels()}${fmaKernelsActive() ? ', fused multiply-add' : ''}`,
            layers: index,
          },
          null,
          2,
        ) + '\n',
      );
    } catch (e) {
      folder.abort();
      throw e;
    }
    folder.commit();
    io.out(
      `${printable(p.graph.name)}: ${index.length} activation${index.length === 1 ? '' : 's'} written to ${printable(out, LONG)} (${printable(p.weightsLabel, LONG)}; input ${printable(p.inputLabel)})`,
    );
    return 0;
  });
}

async function render(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, COMMON_FLAGS);
  if (has(args, 'help')) {
    io.out(RENDER_HELP);
    return 0;
  }
  return runOrReport('render', io, () => {
    enableEngineThreads();
    const out = flag(args, 'out');
    if (out === undefined) throw new UsageError('missing --out maps.png');
    const name = flag(args, 'layer');
    if (name === undefined) throw new UsageError('missing --layer NAME');
    const normalize = flag(args, 'normalize') ?? 'per-map';
    if (normalize !== 'per-map' && normalize !== 'per-layer')
      throw new UsageError(`--normalize must be per-map or per-layer, got '${normalize}'`);
    const colormap = flag(args, 'colormap') ?? 'viridis';
    if (!(FEATURE_COLORMAPS as readonly string[]).includes(colormap))
      throw new UsageError(`--colormap must be ${FEATURE_COLORMAPS.join(', ')}, got '${printable(colormap)}'`);
    const svg = /\.svg$/i.test(out);
    if (!svg && !/\.png$/i.test(out)) throw new UsageError(`--out must end in .png or .svg, got '${printable(out)}'`);
    const locale = parseLocale(flag(args, 'locale'));
    const p = prepare(args, io, 'render', false);
    const until = layerIndex(p.graph, name);
    const cap = overCap(p.graph, until);
    if (cap) throw new RunError('', `stopped before running: ${cap}`);
    const runs = runModel(p.graph, p.input, makeWeightSource(p.seed, p.weights, p.preset, p.graph), {
      until,
      keep: (i) => i === until,
      onLayer: progress(io),
    });
    const r = runs[runs.length - 1]!;
    const title = `${p.graph.name} | ${r.layer.name} (${r.layer.spec.type}) | ${p.weightsLabel} | input ${p.inputLabel}`;
    const options = { normalize, colormap: colormap as FeatureColormap } as const;
    let tiles: number;
    if (svg) {
      const heading = locale === 'ko' ? `${title} — 특성 맵` : title;
      const drawn = featureMapSvg(r.layer, r.output, { ...options, title: heading, locale });
      writeFileSafely(out, new TextEncoder().encode(drawn.svg), has(args, 'force'), isConvLensSvg);
      tiles = drawn.tiles;
    } else {
      const img = featureMapImage(r.layer, r.output, { ...options, title });
      writeFileSafely(out, encodePng(img.width, img.height, img.rgba), has(args, 'force'), isConvLensPng);
      tiles = img.tiles;
      if (!fontDraws(title))
        io.err(`${printable(out, LONG)}: the PNG's title shows some characters as '?'; write a .svg to keep them`);
    }
    io.out(
      `${printable(out, LONG)}: ${tiles} feature map${tiles === 1 ? '' : 's'} of ${printable(r.layer.name)}, shape (${r.output.shape.join(', ')})`,
    );
    return 0;
  });
}

registerCommand('forward', "run a model on an input; write every layer's activation (.npy)", FORWARD_HELP, forward);
registerCommand('render', "draw one layer's feature maps as a PNG or SVG grid", RENDER_HELP, render);
