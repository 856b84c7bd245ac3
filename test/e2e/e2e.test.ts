/**
 * ConvLens in a real VS Code: the packaged extension in code-server 4.100.3 (VS Code 1.100.3),
 * driven through Chromium the way a user drives it (keyboard, command palette, quick picks), and
 * checked on what the user sees: hover text, inline shapes, the Problems panel, the editor's
 * text, the explorer panel's text and canvases. Every scenario saves a screenshot in
 * test-results/e2e/ (and FAILED-<scenario>.png when it fails).
 *
 * Three servers: English with --disable-workspace-trust (scenarios 1–4, 7–9), Korean
 * (--locale ko plus a stub language pack, scenario 5), and workspace trust on with the folder
 * left untrusted (restricted mode, scenario 6).
 *
 * Prerequisites: `bash scripts/setup-code-server.sh` and Debian's Chromium. Without them the
 * suite is skipped with that command printed, except in CI (CI=true), where it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { generateLargeModelFile } from '../../scripts/bench-analysis';
import { CORPUS_DIR, corpusMissing } from '../../scripts/corpus-compare';
import {
  CodeServer,
  copyWorkspace,
  ensureLanguagePack,
  IS_CI,
  launchChromium,
  positionOf,
  prerequisiteMessage,
  prerequisites,
  RESULTS_DIR,
  moveText,
  waitFor,
  Workbench,
  type Move,
  type ServerOptions,
} from './harness';
import * as inPage from './inPage';
import { decodeImage } from '../../src/io/image';
import { readModelFile } from '../../src/modelfile';
import { runModel, type WeightSource } from '../../src/runtime/forward';
import { modelInput } from '../../src/runtime/input';
import { matchWeights } from '../../src/runtime/weights';
import { describeMismatches, minMax, mismatches, readCanvases, type CanvasPixels } from '../webview/pixels';

const pre = prerequisites();
const vsix = inject('convlensVsix');
const skip = !pre.ok || !vsix;
// Missing prerequisites are reported by the global setup (a failure in CI, a skip elsewhere).
const skipReason = !pre.ok
  ? prerequisiteMessage(pre)
  : 'no packaged extension: run the e2e project of vitest.config.mts (its globalSetup packages it)';

const timings: { scenario: string; ms: number; screenshots: string[]; note?: string }[] = [];

/**
 * The 32 feature maps of the trained textbook CNN's first layer on the digit-3 sample (the
 * panel's default input), run here by the engine with the weights read from the shipped .keras:
 * filter f as 28×28 values, row-major.
 */
function trainedConv2dMaps(): Float64Array[] {
  const root = path.join(__dirname, '..', '..');
  const file = readModelFile(fs.readFileSync(path.join(root, 'media/models/textbook-cnn.keras')), 'textbook-cnn.keras');
  const graph = file.graph!;
  const match = matchWeights(graph, file.weights);
  const weights: WeightSource = (node, p) => {
    const w = match.byLayer.get(node.spec.id)?.get(p.name);
    if (!w) throw new Error(`textbook-cnn.keras has no ${node.name}/${p.name}`);
    return w;
  };
  const image = decodeImage(fs.readFileSync(path.join(root, 'media/samples/digit-3.png')), 'digit-3.png');
  const { input } = modelInput(graph, { kind: 'image', name: 'digit-3.png', image });
  if (graph.layers[0]?.name !== 'conv2d') throw new Error(`the first layer is ${graph.layers[0]?.name}, not conv2d`);
  const out = runModel(graph, input, weights, { until: 0 })[0]!.output; // (1, 28, 28, 32)
  const [h, w, n] = [out.shape[1]!, out.shape[2]!, out.shape[3]!];
  return Array.from({ length: n }, (_, f) => Float64Array.from({ length: h * w }, (_, i) => out.data[i * n + f]!));
}

/** Mismatches of tile f against map f at its own range (per map, viridis: the defaults), '' when none. */
function tileProblems(tiles: CanvasPixels[], maps: Float64Array[]): string {
  return maps
    .map((v, f) => describeMismatches(`tile ${f}`, mismatches(tiles[f]!, v, minMax(v), 'viridis')))
    .filter(Boolean)
    .join('\n');
}

/** Runs a scenario body with its time recorded; on failure a FAILED-<name>.png screenshot first. */
async function scenario(
  name: string,
  wb: () => Workbench,
  body: (shots: string[], note: (s: string) => void) => Promise<void>,
): Promise<void> {
  const t0 = Date.now();
  const shots: string[] = [];
  let extra: string | undefined;
  try {
    await body(shots, (s) => (extra = s));
  } catch (e) {
    // (no workbench when the server did not start: then there is nothing to show)
    await (wb() as Workbench | undefined)?.screenshot(`FAILED-${name}`).catch(() => undefined);
    throw e;
  } finally {
    const ms = Date.now() - t0;
    timings.push({
      scenario: name,
      ms,
      screenshots: shots.map((s) => path.relative(process.cwd(), s)),
      ...(extra ? { note: extra } : {}),
    });
    console.log(`[e2e] ${name}: ${(ms / 1000).toFixed(1)} s${extra ? ` — ${extra}` : ''}`);
  }
}

/** One code-server + one page for a describe block; stopped even when a test fails. */
function useWorkbench(
  label: string,
  serverOptions: () => Promise<Omit<ServerOptions, 'workspace' | 'label'>>,
  open: {
    generated?: () => Record<string, string>;
    /** More of the workspace, made at test time (never committed). */
    prepare?: (workspace: string) => void;
    beforeReady?: (wb: Workbench) => Promise<void>;
  } = {},
) {
  const state: { server?: CodeServer; wb?: Workbench; workspace?: string } = {};
  beforeAll(async () => {
    const t0 = Date.now();
    const options = { label, ...(await serverOptions()) };
    state.workspace = copyWorkspace('workspace', open.generated?.());
    open.prepare?.(state.workspace);
    state.server = await CodeServer.start({ ...options, workspace: state.workspace }, vsix);
    state.wb = await Workbench.open(await browser(), state.server);
    await open.beforeReady?.(state.wb);
    console.log(
      `[e2e] ${label}: code-server and workbench ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${state.server.url})`,
    );
  });
  afterAll(async () => {
    await state.wb?.close();
    await state.server?.stop();
    if (state.workspace) fs.rmSync(state.workspace, { recursive: true, force: true });
  });
  return {
    wb: () => state.wb!,
    text: (file: string) => fs.readFileSync(path.join(state.workspace!, file), 'utf8'),
    /** A file of the workspace on disk. */
    workspaceFile: (file: string) => path.join(state.workspace!, file),
    /** The ConvLens output channel's log so far (VS Code writes it under the user-data dir). */
    convlensLog: () => {
      const logs = path.join(state.server!.userDataDir, 'logs');
      if (!fs.existsSync(logs)) return '';
      return (fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }) as string[])
        .filter((f) => /ConvLens\.log$/.test(f))
        .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
        .join('\n');
    },
  };
}

/**
 * The workspace's Python environment for scenario 10: `.venv` (a pyvenv.cfg, as `python -m venv`
 * writes it) with torchvision's published sources in lib/python3.11/site-packages, copied from
 * the model-zoo corpus (scripts/setup-corpus.sh) at test time.
 */
const corpusGap = corpusMissing();
function addVenvWithTorchvision(workspace: string): void {
  if (corpusGap) return;
  const venv = path.join(workspace, '.venv');
  const site = path.join(venv, 'lib', 'python3.11', 'site-packages');
  fs.mkdirSync(site, { recursive: true });
  fs.writeFileSync(
    path.join(venv, 'pyvenv.cfg'),
    'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.9\n',
  );
  fs.cpSync(path.join(CORPUS_DIR, 'torchvision'), path.join(site, 'torchvision'), { recursive: true });
  // as usual for a .venv: out of search and quick open (Ctrl+P must still find the workspace's files)
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'search.exclude': { '**/.venv': true } }, null, 2),
  );
}

const LIBRARY_MODEL = [
  '# A model from torchvision, read from the workspace .venv (nothing is run).',
  'import torch',
  'import torchvision',
  '',
  'model = torchvision.models.resnet18()',
  'x = torch.randn(1, 3, 224, 224)',
  'y = model(x)',
  '',
].join('\n');

/** A layer made by a helper function, used twice (torchvision's conv3x3 pattern). */
const HELPER_CONV = [
  'import torch',
  'import torch.nn as nn',
  '',
  '',
  'def conv3x3(cin, cout, stride=1):',
  '    return nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)',
  '',
  '',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.conv1 = conv3x3(3, 16)',
  '        self.conv2 = conv3x3(16, 32, stride=2)',
  '',
  '    def forward(self, x):',
  '        return self.conv2(self.conv1(x))',
  '',
  '',
  'model = Net()',
  'y = model(torch.randn(1, 3, 32, 32))',
  '',
].join('\n');

/** The textbook's first picture: a kernel of 3 sliding along 10 numbers. */
const CONV1D = [
  'from tensorflow import keras',
  '',
  'model = keras.Sequential([',
  '    keras.Input(shape=(10, 1)),',
  '    keras.layers.Conv1D(1, kernel_size=3),',
  '    keras.layers.MaxPooling1D(2),',
  '])',
  '',
].join('\n');

/** Two models: one declares its input, the other does not. */
/** Scenario 17: nested loops of builtins that Python would run for minutes (60,000 × len(range(100000))). */
const HANG = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'attack', 'hang-builtins.py'), 'utf8');

const TWO_MODELS = [
  'import keras',
  'from keras import layers',
  '',
  'declared = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(4, 3)])',
  'open_input = keras.Sequential([layers.Conv2D(8, 3)])',
  '',
].join('\n');

/** A Jupyter notebook: imports, a model without an input shape, a model with one (cells see each other). */
const NOTEBOOK = JSON.stringify(
  {
    cells: [
      ['import keras', 'from keras import layers'],
      ['open_input = keras.Sequential([layers.Conv2D(8, 3)])'],
      [
        'cnn = keras.Sequential([',
        '    keras.Input(shape=(28, 28, 1)),',
        "    layers.Conv2D(4, 3, activation='relu'),",
        '    layers.MaxPooling2D(2),',
        '])',
      ],
    ].map((lines) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)),
    })),
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
);
/** VGG16 as keras.applications names it, written out as a Sequential (224×224×3 input). */
const VGG16_BLOCKS: [number, number][] = [
  [2, 64],
  [2, 128],
  [3, 256],
  [3, 512],
  [3, 512],
];
const VGG16_LAYERS: string[] = VGG16_BLOCKS.flatMap(([convs], b) => [
  ...Array.from({ length: convs }, (_, i) => `block${b + 1}_conv${i + 1}`),
  `block${b + 1}_pool`,
]);
const VGG16 = [
  'import keras',
  'from keras import layers',
  '',
  'model = keras.Sequential([',
  '    keras.Input(shape=(224, 224, 3)),',
  ...VGG16_BLOCKS.flatMap(([convs, filters], b) => [
    ...Array.from(
      { length: convs },
      (_, i) =>
        `    layers.Conv2D(${filters}, 3, activation='relu', padding='same', name='block${b + 1}_conv${i + 1}'),`,
    ),
    `    layers.MaxPooling2D(2, name='block${b + 1}_pool'),`,
  ]),
  "    layers.Flatten(name='flatten'),",
  "    layers.Dense(4096, activation='relu', name='fc1'),",
  "    layers.Dense(4096, activation='relu', name='fc2'),",
  "    layers.Dense(1000, activation='softmax', name='predictions'),",
  '])',
  '',
].join('\n');

const LIBRARY_MISSING = [
  '# timm is not installed in the workspace .venv.',
  'import torch',
  'import timm',
  '',
  "model = timm.create_model('resnet18')",
  'y = model(torch.randn(1, 3, 224, 224))',
  '',
].join('\n');

let browserPromise: Promise<Browser> | null = null;
function browser(): Promise<Browser> {
  browserPromise ??= launchChromium();
  return browserPromise;
}

if (skip && IS_CI) {
  test('e2e prerequisites', () => {
    throw new Error(`${skipReason} (CI=true: the end-to-end suite is required)`);
  });
}

describe.skipIf(skip)('ConvLens in VS Code (code-server)', () => {
  afterAll(async () => {
    await (await browserPromise)?.close();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'timings.json'), JSON.stringify(timings, null, 2));
  });

  describe('English, trusted (--disable-workspace-trust)', () => {
    const big = generateLargeModelFile();
    const { wb, text, convlensLog, workspaceFile } = useWorkbench('en', async () => ({}), {
      generated: () => ({
        'big_model.py': big,
        'library_model.py': LIBRARY_MODEL,
        'library_missing.py': LIBRARY_MISSING,
        'helper_conv.py': HELPER_CONV,
        'conv1d.py': CONV1D,
        'two_models.py': TWO_MODELS,
        'models.ipynb': NOTEBOOK,
        'vgg16.py': VGG16,
        'hang.py': HANG,
      }),
      prepare: (workspace) => {
        addVenvWithTorchvision(workspace);
        // a saved Keras model (the trained textbook CNN shipped in media/models)
        fs.copyFileSync(
          path.join(__dirname, '..', '..', 'media', 'models', 'textbook-cnn.keras'),
          path.join(workspace, 'textbook-cnn.keras'),
        );
      },
    });

    // first in this window, as a learner's first minute: VS Code's walkthrough ticks a step only
    // when it is done while the walkthrough listens (a hover in an earlier scenario would not count)
    test('20. Open Example → the textbook CNN, read-only: hover, panel, summary; the walkthrough ticks the steps done and loads the trained weights', async () => {
      await scenario('20-open-example', wb, async (shots) => {
        const w = wb();
        const page = w.page;
        // the ConvLens side bar's Get Started view offers its buttons
        const activity = page.locator('.activitybar .action-item a[aria-label^="ConvLens"]').first();
        await activity.waitFor({ state: 'visible', timeout: 60_000 });
        await activity.click();
        const welcome = page.locator('.part.sidebar .welcome-view-content').first();
        await welcome.waitFor({ state: 'visible', timeout: 20_000 });
        const buttons = await welcome.locator('.monaco-button').allInnerTexts();
        expect(buttons.map((t) => t.trim())).toEqual(['Open Example', 'Open Walkthrough', 'Visualize Layer at Cursor']);
        shots.push(await w.screenshot('17-side-bar-welcome'));
        // the pictures get the whole width: the side bar is hidden until the end
        await page.keyboard.press('Control+B');
        await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
        // A learner starts with the walkthrough (VS Code creates its walkthrough service when the
        // Welcome page or a walkthrough first opens; the harness's workbench has no Welcome page).
        // The first thing done in the window: the palette lists the command once the extension is registered.
        await waitFor(
          'ConvLens: Open Walkthrough in the command palette',
          () =>
            w.runCommand('ConvLens: Open Walkthrough').then(
              () => true,
              () => w.closeQuickInput().then(() => null),
            ),
          60_000,
          500,
        );
        const step = (id: string) => page.locator(`button.getting-started-step[data-step-id$="${id}"]`).first();
        const checked = async (id: string) => (await step(id).getAttribute('aria-checked')) === 'true';
        const walkthroughTab = page.locator('.tabs-container .tab[aria-label^="Walkthrough: ConvLens"]').first();
        await step('weights').waitFor({ state: 'visible', timeout: 20_000 });
        expect(await page.getByText('Get Started with ConvLens').first().isVisible()).toBe(true);
        for (const id of ['openExample', 'hover', 'explorer', 'draw', 'weights'])
          expect(await checked(id), id).toBe(false);

        // (the walkthrough page takes the focus back a moment after it shows, which can close the
        // palette as it opens: tried again then)
        await waitFor(
          "the example pick's read-only section",
          () =>
            w
              .runCommand('ConvLens: Open Example', { next: true })
              .then(() =>
                w.quickInput
                  .locator('.quick-input-list .monaco-list-row', { hasText: 'Read-only, as it ships' })
                  .first()
                  .waitFor({ state: 'visible', timeout: 10_000 }),
              )
              .then(
                () => true,
                () => w.closeQuickInput().then(() => null),
              ),
          60_000,
          500,
        );
        // a click (the keyboard focus may be back in the walkthrough page; the pick stays open for the mouse)
        await w.quickInput
          .locator('.quick-input-list .monaco-list-row', { hasText: 'Textbook CNN (Keras)' })
          .first()
          .click();
        await w.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
        await page
          .locator('.tabs-container .tab.active[aria-label^="textbook_cnn.py"]')
          .waitFor({ state: 'visible', timeout: 20_000 });
        await w.activeEditor().locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 20_000 });
        // the copy in the package, not a workspace file: read-only, typing changes nothing
        const before = await w.editorDomLines();
        expect(before.some((l) => l.includes('model.add(keras.layers.Conv2D(32, kernel_size=3'))).toBe(true);
        expect(before.some((l) => l.includes('load_weights'))).toBe(false);
        await w.focusEditor();
        await page.keyboard.type('x');
        await page.getByText('Editor is read-only').first().waitFor({ state: 'visible', timeout: 10_000 });
        // (the inline shapes may have come meanwhile: the code is compared without them)
        const code = (lines: string[]) => lines.map((l) => l.replace(/\s+→ .*$/, '')).join('\n');
        expect(code(await w.editorDomLines())).toBe(code(before));
        await page.keyboard.press('Escape');

        // the example opened with the cursor on the first convolution: the hover is its own
        const at0 = (await w.cursor())!;
        const hover = await w.showHoverText((t) => t.includes('Conv2D') && t.includes('→'));
        expect(hover).toContain('conv2d · Conv2D');
        expect(hover).toContain('(None, 28, 28, 1) → (None, 28, 28, 32)');
        expect(hover).toMatch(/Parameters: 3·3·1·32 \+ 32 = 320/);
        const editorPart = page.locator('.part.editor').first();
        shots.push(await w.screenshot('17-example-hover'));
        await w.hideHover();

        // the README's picture: the second convolution, whose hover has room above its line
        const second = positionOf(
          fs.readFileSync(path.join(__dirname, '..', '..', 'media', 'examples', 'textbook_cnn.py'), 'utf8'),
          'Conv2D(64',
        );
        await w.gotoLineCol(second.line, second.col);
        const hover2 = await w.showHoverText((t) => t.includes('conv2d_1') && t.includes('→'));
        // 3·3 kernels over 32 channels for each of 64 filters, plus 64 biases
        expect(hover2).toContain('(None, 14, 14, 32) → (None, 14, 14, 64)');
        expect(hover2).toMatch(/Parameters: 3·3·32·64 \+ 64 = 18,496/);
        {
          const ed = (await w.activeEditor().boundingBox())!;
          const hv = (await w.visibleHover().boundingBox())!;
          const rendered = w.activeEditor().locator('.view-lines .view-line');
          let bottom = hv.y + hv.height;
          for (const l of await rendered.all()) {
            const b = await l.boundingBox();
            if (b && (await l.innerText()).trim() !== '') bottom = Math.max(bottom, b.y + b.height);
          }
          const top = Math.max(ed.y, hv.y - 12);
          const right = Math.min(ed.x + ed.width, Math.max(hv.x + hv.width, ed.x + 900) + 24);
          shots.push(
            await w.screenshotClip('hover', { x: ed.x, y: top, width: right - ed.x, height: bottom + 16 - top }),
          );
        }
        await w.hideHover();
        await w.gotoLineCol(at0.line, at0.col);
        const inline = await waitFor('inline shapes of the example', async () => {
          const l = await w.editorDomLines();
          return l.some((x) => x.includes('→ (None, 10) · 1,010')) ? l : null;
        });
        expect(inline.find((x) => x.includes('MaxPooling2D(2))'))).toMatch(/→ \(None, 14, 14, 32\)$/);

        // the panel on the example's first convolution
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        await waitFor(
          'the example conv2d feature maps',
          async () => {
            const l = await w.panelLayer();
            const m = (await w.featureMaps()).filter((c) => c.width === 28 && c.height === 28);
            return !l.busy && l.title.includes('conv2d') && m.length >= 32 && m.some((c) => c.variance > 10) ? m : null;
          },
          60_000,
          250,
        );
        expect(await w.webviewText()).not.toContain('Trained weights');

        // the summary beside
        await w.focusEditor();
        await w.runCommand('ConvLens: Show Model Summary');
        const summaryTab = page.locator('.tabs-container .tab.active[aria-label*="summary"]');
        await summaryTab.waitFor({ state: 'visible', timeout: 20_000 });
        const summaryGroup = page.locator('.editor-group-container.active').first();
        const summary = await waitFor('the summary text', async () => {
          const t = (await summaryGroup.locator('.view-lines .view-line').allInnerTexts())
            .join('\n')
            .replace(/\u00a0/g, ' ');
          return t.includes('Total params: 333,526') ? t : null;
        });
        expect(summary).toContain('conv2d (Conv2D)');
        {
          const g = (await summaryGroup.boundingBox())!;
          const rendered = summaryGroup.locator('.view-lines .view-line');
          let bottom = g.y + 200;
          let right = g.x + 300;
          for (const l of await rendered.all()) {
            const b = await l.boundingBox();
            if (b && (await l.innerText()).trim() !== '') bottom = Math.max(bottom, b.y + b.height);
            // where the line's text ends
            const end = await l.evaluate(inPage.textRight);
            right = Math.max(right, end);
          }
          right = Math.min(g.x + g.width, right + 24);
          shots.push(
            await w.screenshotClip('summary', { x: g.x, y: g.y, width: right - g.x, height: bottom + 16 - g.y }),
          );
        }
        // closed again: the Explorer is back in its group
        await summaryTab.locator('.codicon-close').click();
        await summaryTab.waitFor({ state: 'detached', timeout: 10_000 });

        // back to the walkthrough: the steps done so far are ticked; its last step loads the shipped weights
        await walkthroughTab.click();
        await step('weights').waitFor({ state: 'visible', timeout: 20_000 });
        await waitFor('the steps done to be ticked', async () =>
          (await checked('openExample')) && (await checked('hover')) && (await checked('explorer')) ? true : null,
        );
        expect(await checked('weights')).toBe(false);
        shots.push(await w.screenshot('20-walkthrough'));
        await step('weights').click();
        await page
          .locator('.step-description-container[x-step-description-for$="weights"] .monaco-button', {
            hasText: 'Load the trained weights',
          })
          .first()
          .click();
        await waitFor('the weights step to be ticked', async () => ((await checked('weights')) ? true : null));
        const trained = await waitFor(
          'the panel with the trained weights',
          async () => {
            const t = await w.webviewText();
            return t.includes('Trained weights: textbook-cnn.weights.h5') ? t : null;
          },
          60_000,
          250,
        );
        expect(trained).toContain('conv2d');
        shots.push(await w.screenshot('17-walkthrough-weights'));

        // the picture of the panel: the code and the panel with trained weights, side by side
        // the walkthrough closed: the Explorer shows again beside the code
        await walkthroughTab.locator('.codicon-close').click();
        await walkthroughTab.waitFor({ state: 'detached', timeout: 10_000 });
        await w.focusEditor();
        await waitFor('the feature maps with trained weights', async () => {
          const m = (await w.featureMaps()).filter((c) => c.width === 28 && c.height === 28);
          return m.length >= 32 && m.some((c) => c.variance > 10) ? m : null;
        });
        await w.runCommand('Notifications: Clear All Notifications');
        await page
          .locator('.notification-toast')
          .first()
          .waitFor({ state: 'hidden', timeout: 10_000 })
          .catch(() => undefined);
        shots.push(await w.screenshotRegion('panel', [editorPart], editorPart, 0));
        shots.push(await w.screenshot('17-example-panel'));
        // the walkthrough's fourth step: a digit drawn on the panel's pad becomes the input
        const frame = await w.webviewFrame();
        const details = frame.locator('details.draw-details').first();
        await waitFor('the drawing pad open', async () => {
          if (await details.evaluate((d: { open: boolean }) => d.open)) return true;
          await details.locator('summary').first().click();
          return null;
        });
        const pad = frame.locator('canvas.drawpad-canvas').first();
        await pad.scrollIntoViewIfNeeded();
        const box = (await pad.boundingBox())!;
        await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
        await page.mouse.down();
        for (let i = 1; i <= 10; i++)
          await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.2 + 0.06 * i));
        await page.mouse.up();
        shots.push(await w.screenshot('17-drawn'));
        await frame.locator('.drawpad button', { hasText: 'Use drawing' }).first().click();
        await waitFor('the drawing as the input', async () =>
          (await w.webviewText()).includes('Input: drawing') ? true : null,
        );
        // back to the code (the focus is in the panel's frame, whose keys do not reach the workbench)
        await page.locator('.editor-group-container').first().locator('.view-lines').first().click();
        await w.focusEditor();
        await w.runCommand('ConvLens: Open Walkthrough');
        await waitFor('the draw step to be ticked', async () => ((await checked('draw')) ? true : null));
        for (const id of ['openExample', 'hover', 'explorer', 'draw', 'weights'])
          expect(await checked(id), id).toBe(true);
        shots.push(await w.screenshot('17-walkthrough-done'));
        await walkthroughTab.locator('.codicon-close').click();
        await walkthroughTab.waitFor({ state: 'detached', timeout: 10_000 });
        // The panel, shown again, loads anew. code-server serves every webview from one origin, and
        // two webviews loading at the same moment can race for its service worker: the loser stays
        // blank ("Found unexpected service worker controller … Waiting for controllerchange" in the
        // console). The side bar (and its side view) is shown once the panel is drawn again.
        await waitFor('the panel drawn again', async () => {
          const m = (await w.featureMaps()).filter((c) => c.width === 28 && c.height === 28 && c.variance > 10);
          return m.length > 0 && (await w.webviewPaintedShare('panel')) > 0.05 ? true : null;
        });
        await page.locator('.editor-group-container').first().locator('.view-lines').first().click();
        await page.keyboard.press('Control+B');
        await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
      });
    });

    test('1. Keras CNN: hover shows the output shape and parameters; inline shapes are shown', async () => {
      await scenario('1-keras-hover', wb, async (shots) => {
        const w = wb();
        await w.openFile('keras_cnn.py');
        const at = positionOf(text('keras_cnn.py'), 'Conv2D');
        await w.gotoLineCol(at.line, at.col);
        const hover = await w.showHoverText((t) => t.includes('Conv2D') && t.includes('→'));
        expect(hover).toContain('conv2d · Conv2D');
        expect(hover).toContain('(None, 28, 28, 1) → (None, 28, 28, 32)');
        expect(hover).toMatch(/Parameters: 3·3·1·32 \+ 32 = 320/);
        expect(hover).toContain('Visualize');
        shots.push(await w.screenshot('1-keras-hover'));
        await w.hideHover();
        // Inline shapes: the inlay hints are part of the rendered lines, after the code.
        const lines = await waitFor('inline shapes', async () => {
          const l = await w.editorDomLines();
          return l.some((x) => x.includes('→ (None, 28, 28, 32) · 320')) ? l : null;
        });
        expect(lines.find((x) => x.includes('input_shape=(28, 28, 1)))'))).toMatch(
          /input_shape=\(28, 28, 1\)\)\)\s*→ \(None, 28, 28, 32\) · 320$/,
        );
        expect(lines.find((x) => x.includes('MaxPooling2D(2))'))).toMatch(/→ \(None, 14, 14, 32\)$/);
        expect(lines.find((x) => x.includes('Dense(10,'))).toMatch(/→ \(None, 10\) · 1,010$/);
        const status = await waitFor('the ConvLens status bar item', async () => {
          const t = await w.page
            .locator('.statusbar-item')
            .filter({ hasText: 'params' })
            .first()
            .innerText()
            .catch(() => '');
          return t.includes('8 layers') ? t : null;
        });
        expect(status).toContain('8 layers · 333,526 params');
        shots.push(await w.screenshot('1-keras-inline-shapes'));
      });
    });

    test('2. PyTorch nn.Module: hover on nn.Conv2d shows its (N, C, H, W) output', async () => {
      await scenario('2-pytorch-hover', wb, async (shots) => {
        const w = wb();
        await w.openFile('torch_lenet.py');
        const at = positionOf(text('torch_lenet.py'), 'Conv2d', 'self.conv1');
        await w.gotoLineCol(at.line, at.col + 2);
        const hover = await w.showHoverText((t) => t.includes('Conv2d'));
        expect(hover).toContain('conv1 · Conv2d');
        expect(hover).toContain('(N, 1, 32, 32) → (N, 6, 28, 28)');
        expect(hover).toContain('PyTorch');
        shots.push(await w.screenshot('2-pytorch-hover'));
        await w.hideHover();
      });
    });

    test('3. Shape error: in Problems; the quick fix corrects it; undo restores the text', async () => {
      await scenario('3-shape-error-quick-fix', wb, async (shots) => {
        const w = wb();
        const original = text('shape_error.py');
        const fixed = original.replace('nn.Linear(256, 120)', 'nn.Linear(400, 120)');
        expect(fixed).not.toBe(original);
        await w.openFile('shape_error.py');
        const problems = await w.problemsText((t) => t.includes('in_features'));
        expect(problems).toContain("Linear 'fc1': in_features=256 but the input has 400 features");
        expect(problems).toMatch(/ConvLens\s*\(?in-features-mismatch\)?/);
        const at = positionOf(original, '256', 'nn.Linear');
        expect(problems).toContain(`[Ln ${at.line}, Col ${at.col}]`);
        shots.push(await w.screenshot('3-shape-error-problems'));

        await w.gotoLineCol(at.line, at.col);
        await w.quickFix('Set in_features to 400');
        expect(await w.editorText(at)).toBe(fixed);
        const shown = await w.editorDomLines();
        expect(shown.some((l) => l.includes('self.fc1 = nn.Linear(400, 120)'))).toBe(true);
        await w.problemsText((t) => !t.includes('in_features=256'));
        shots.push(await w.screenshot('3-shape-error-fixed'));

        await w.focusEditor();
        await w.page.keyboard.press('Control+Z');
        await waitFor(
          'the undo',
          async () => (await w.editorDomLines()).some((l) => l.includes('nn.Linear(256, 120)')),
          10_000,
        );
        expect(await w.editorText(at)).toBe(original);
        await w.problemsText((t) => t.includes('in_features=256'));
        shots.push(await w.screenshot('3-shape-error-undone'));
        await w.hidePanel();
      });
    });

    test('4. Visualize Layer at Cursor opens the panel with feature maps; the cursor on the pooling line switches it', async () => {
      await scenario('4-visualize-panel', wb, async (shots) => {
        const w = wb();
        await w.openFile('keras_cnn.py');
        const src = text('keras_cnn.py');
        const conv = positionOf(src, 'Conv2D');
        await w.gotoLineCol(conv.line, conv.col);
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        await w.page
          .locator('.tab', { hasText: 'ConvLens Explorer' })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        const maps = await waitFor(
          'feature maps with non-blank pixels',
          async () => {
            const m = await w.featureMaps();
            return m.some((c) => c.variance > 10) ? m : null;
          },
          60_000,
          250,
        );
        // One canvas pixel per value: the 32 maps of 28×28 (tiles, and the large map of the stamp).
        expect(maps.filter((c) => c.width === 28 && c.height === 28).length).toBeGreaterThanOrEqual(32);
        const layer = await w.panelLayer();
        expect(layer.title).toContain('conv2d');
        expect(layer.current).toContain('conv2d');
        expect(await w.webviewPaintedShare('panel')).toBeGreaterThan(0.05);
        shots.push(await w.screenshot('4-panel-conv2d'));

        const pool = positionOf(src, 'MaxPooling2D');
        await w.gotoLineCol(pool.line, pool.col);
        const shownPool = await waitFor(
          'the panel to switch to max_pooling2d',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && l.title.includes('max_pooling2d') ? l : null;
          },
          30_000,
          200,
        );
        expect(shownPool.title).toContain('MaxPooling2D');
        expect(shownPool.current).toContain('max_pooling2d');
        expect(await w.webviewText()).toMatch(/keeps the maximum/);
        // what the screen shows there, not only the webview's DOM: the panel is painted
        expect(await w.webviewPaintedShare('panel')).toBeGreaterThan(0.05);

        // the side view (the ConvLens side bar's Layer Explorer) follows the same cursor
        const page = w.page;
        const sideShown = async () =>
          (await page.locator('.part.sidebar').isVisible()) &&
          (await page.locator('.part.sidebar .pane-header', { hasText: /Layer Explorer/i }).count()) > 0;
        const openedHere = !(await sideShown());
        if (openedHere) await page.locator('.activitybar .action-item a[aria-label^="ConvLens"]').first().click();
        const side = await waitFor(
          'the side view to show max_pooling2d with its maps',
          async () => {
            const l = await w.panelLayer('side');
            if (l.busy || !l.title.includes('max_pooling2d')) return null;
            const pooled = (await w.canvasStats('side')).filter(
              (c) => c.width === 14 && c.height === 14 && c.variance > 10,
            );
            return pooled.length > 0 ? l : null;
          },
          30_000,
          200,
        );
        expect(side.current).toContain('max_pooling2d');
        // and the panel beside the code stays drawn with the side view open
        expect((await w.panelLayer('panel')).title).toContain('max_pooling2d');
        expect(await w.webviewPaintedShare('panel')).toBeGreaterThan(0.05);
        expect(await w.webviewPaintedShare('side')).toBeGreaterThan(0.05);
        shots.push(await w.screenshot('4-panel-max-pooling2d'));
        // back to conv2d: the panel keeps its values, so they are left out of the view; the side
        // view, which does not keep them all, is sent them when it follows, and draws its maps
        await w.gotoLineCol(conv.line, conv.col);
        await waitFor(
          'the side view to show conv2d with its maps again',
          async () => {
            const l = await w.panelLayer('side');
            if (l.busy || !l.title.includes('conv2d')) return null;
            const tiles = (await w.featureMaps(undefined, 'side')).filter(
              (c) => c.width === 28 && c.height === 28 && c.variance > 10,
            );
            return tiles.length >= 8 ? true : null;
          },
          30_000,
          200,
        );
        const back = await w.featureMaps();
        expect(back.filter((c) => c.width === 28 && c.height === 28).length).toBeGreaterThanOrEqual(32);
        expect(convlensLog()).not.toMatch(/render failed/);
        // the side bar hidden (a hidden side view is not sent values: it asks for all when shown)
        const icon = page.locator('.activitybar .action-item a[aria-label^="ConvLens"]').first();
        await icon.click();
        await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
        // to the pooling and back: the panel keeps every value of conv2d, so the view it is sent
        // last carries none of them; exporting it still writes its 32 maps
        for (const [at, name] of [
          [pool, 'max_pooling2d'],
          [conv, 'conv2d'],
        ] as const)
          await w.moveAndDraw(await w.webviewFrame(), name, at.line, at.col, 30_000);
        const exported = workspaceFile('e2e-export-conv2d.png');
        fs.rmSync(exported, { force: true });
        await w.runCommandSavingAs('ConvLens: Export Feature Maps as PNG', exported);
        await waitFor('the exported PNG', async () => (fs.existsSync(exported) ? true : null), 20_000, 200);
        const png = PNG.sync.read(fs.readFileSync(exported));
        const colours = new Set<number>();
        for (let i = 0; i < png.data.length; i += 4)
          colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
        // 32 maps through the colour table give hundreds of colours; a title over blank tiles, a few
        expect(png.width).toBeGreaterThan(28 * 4);
        expect(colours.size).toBeGreaterThan(100);
        fs.rmSync(exported, { force: true });
        if (!openedHere) {
          await icon.click();
          await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
        }
      });
    });

    test('9. PyTorch: Visualize Layer at Cursor inside F.relu(self.conv1(x)) shows conv1, the layer the hover names', async () => {
      await scenario('9-visualize-nested-call', wb, async (shots) => {
        const w = wb();
        await w.openFile('torch_lenet.py');
        const src = text('torch_lenet.py');
        expect(src).toContain('x = self.pool(F.relu(self.conv1(x)))');
        // On the `o` of `conv1` in `self.conv1(x)`: inside the F.relu(…) call as well.
        const at = positionOf(src, 'conv1(x)', 'def forward');
        await w.gotoLineCol(at.line, at.col + 1);
        const hover = await w.showHoverText((t) => t.includes('Conv2d') || t.includes('relu'));
        expect(hover).toContain('conv1 · Conv2d');
        await w.hideHover();
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        await w.page
          .locator('.tab', { hasText: 'ConvLens Explorer' })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        const shown = await waitFor(
          'the panel to show a layer of LeNet',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && /conv1|relu/.test(l.title) ? l : null;
          },
          60_000,
          200,
        );
        expect(shown.title).toContain('conv1');
        expect(shown.title).toContain('Conv2d');
        expect(shown.title).not.toContain('relu');
        expect(shown.current).toContain('conv1');
        // conv1 = nn.Conv2d(1, 6, kernel_size=5) on 32×32: six 28×28 maps.
        const maps = await waitFor(
          'the conv1 feature maps',
          async () => {
            const m = (await w.featureMaps()).filter((c) => c.width === 28 && c.height === 28);
            return m.length >= 6 && m.some((c) => c.variance > 10) ? m : null;
          },
          60_000,
          250,
        );
        expect(maps.length).toBeGreaterThanOrEqual(6);
        shots.push(await w.screenshot('9-panel-conv1'));
      });
    });

    test('8. Choose Input Image → the workspace PNG changes the feature maps', async () => {
      await scenario('8-choose-input', wb, async (shots) => {
        const w = wb();
        await w.openFile('keras_cnn.py');
        const conv = positionOf(text('keras_cnn.py'), 'Conv2D');
        await w.gotoLineCol(conv.line, conv.col);
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        const maps = async () => (await w.featureMaps()).filter((c) => c.width === 28 && c.height === 28);
        const before = await waitFor(
          'the conv2d feature maps',
          async () => {
            const l = await w.panelLayer();
            const m = await maps();
            return !l.busy && l.title.includes('conv2d') && m.some((c) => c.variance > 10) ? m : null;
          },
          60_000,
          250,
        );
        // (the input is whatever the scenarios before chose: a sample, or the digit drawn in scenario 20)
        expect(await w.webviewText()).not.toContain('Input: photo.png');

        await w.runCommand('ConvLens: Choose Input Image');
        // the pick lists every bundled sample first: typing (once it is open) filters it to the workspace image
        await w.quickInput
          .locator('.quick-input-list .monaco-list-row', { hasText: 'digit-0' })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        await w.page.keyboard.type('photo.png');
        await w.pickQuickItem('photo.png');
        const after = await waitFor(
          'feature maps of photo.png',
          async () => {
            if (!(await w.webviewText()).includes('Input: photo.png')) return null;
            const m = await maps();
            return m.length === before.length &&
              m.some((c) => c.variance > 10) &&
              m.some((c, i) => c.hash !== before[i]!.hash)
              ? m
              : null;
          },
          60_000,
          250,
        );
        const changed = after.filter((c, i) => c.hash !== before[i]!.hash).length;
        expect(changed).toBeGreaterThan(after.length / 2);
        shots.push(await w.screenshot('8-input-photo'));

        // the file changes on disk (mirrored left to right) while the pooling layer is shown; back
        // on conv2d, its maps kept from before are shown at once, the change is noticed beside that
        // view, and the layer is shown again on the new image without another move
        const pool = positionOf(text('keras_cnn.py'), 'MaxPooling2D');
        await w.gotoLineCol(pool.line, pool.col);
        await waitFor('the pooling layer', async () => {
          const l = await w.panelLayer();
          return !l.busy && l.title.includes('max_pooling2d') ? true : null;
        });
        const file = workspaceFile('photo.png');
        const original = fs.readFileSync(file);
        const png = PNG.sync.read(original);
        const mirrored = new PNG({ width: png.width, height: png.height });
        for (let y = 0; y < png.height; y++)
          for (let x = 0; x < png.width; x++)
            png.data.copy(
              mirrored.data,
              (y * png.width + x) * 4,
              (y * png.width + (png.width - 1 - x)) * 4,
              (y * png.width + (png.width - 1 - x)) * 4 + 4,
            );
        fs.writeFileSync(file, PNG.sync.write(mirrored));
        try {
          await w.gotoLineCol(conv.line, conv.col);
          await waitFor(
            'conv2d on the mirrored photo.png',
            async () => {
              const l = await w.panelLayer();
              const m = await maps();
              return !l.busy &&
                l.title.includes('conv2d') &&
                m.length === after.length &&
                m.filter((c, i) => c.hash !== after[i]!.hash).length > m.length / 2
                ? true
                : null;
            },
            30_000,
            250,
          );
        } finally {
          fs.writeFileSync(file, original);
        }
      });
    });

    test('7. 5,000-line model file: hovers still appear (time to the first hover is logged)', async () => {
      await scenario('7-large-file', wb, async (shots, note) => {
        const w = wb();
        expect(big.split('\n').length).toBe(5000);
        const first = positionOf(big, 'nn.Conv2d', 'self.conv0');
        const t0 = Date.now();
        await w.openFile('big_model.py');
        await w.gotoLineCol(first.line, first.col + 3);
        const hover = await w.showHoverText((t) => t.includes('Conv2d'));
        const ms = Date.now() - t0;
        note(`open → first hover ${ms} ms`);
        console.log(`[e2e] 5,000-line file: ${ms} ms from Ctrl+P to the first hover`);
        expect(hover).toContain('(N, 16, 32, 32) → (N, 16, 32, 32)');
        shots.push(await w.screenshot('7-large-file-first-hover'));
        await w.hideHover();
        // Far down the file: the last Keras layer.
        const lastKeras = big.lastIndexOf('kmodel.add(keras.layers.Conv2D');
        const line = big.slice(0, lastKeras).split('\n').length;
        await w.gotoLineCol(line, 'kmodel.add(keras.layers.'.length + 2);
        const deep = await w.showHoverText((t) => t.includes('Conv2D'));
        expect(deep).toContain('(None, 32, 32, 8) → (None, 32, 32, 8)');
        shots.push(await w.screenshot('7-large-file-deep-hover'));
        await w.hideHover();
      });
    });

    if (corpusGap) {
      if (IS_CI)
        test('10. prerequisites: the model-zoo corpus', () => {
          throw new Error(`${corpusGap} (CI=true: scenario 10 copies torchvision's sources from it)`);
        });
      else console.warn(`${corpusGap}\nSkipping e2e scenario 10 (torchvision from the workspace .venv).`);
    }

    test.skipIf(!!corpusGap)(
      '10. torchvision.models.resnet18() read from the workspace .venv: the hover shows the whole model; a package with no source is named in Problems',
      async () => {
        await scenario('10-library-model', wb, async (shots, note) => {
          const w = wb();
          const src = text('library_model.py');
          const t0 = Date.now();
          await w.openFile('library_model.py');
          const at = positionOf(src, 'resnet18()');
          await w.gotoLineCol(at.line, at.col + 2);
          const hover = await w.showHoverText((t) => t.includes('ResNet') && t.includes('→'), 90_000);
          note(`open → hover ${Date.now() - t0} ms`);
          expect(hover).toContain('ResNet — PyTorch model built in torchvision/models/resnet.py');
          expect(hover).toContain('(N, 3, 224, 224) → (N, 1000)');
          expect(hover).toMatch(/Parameters: 11,689,512/);
          expect(hover).toMatch(/Buffers: 9,600/);
          expect(hover).toContain('Layers: 60');
          shots.push(await w.screenshot('10-library-model-hover'));
          await w.hideHover();
          const lines = await waitFor('the model inline shape', async () => {
            const l = await w.editorDomLines();
            return l.some((x) => x.includes('→ (N, 1000) · 11,689,512')) ? l : null;
          });
          expect(lines.find((x) => x.includes('torchvision.models.resnet18()'))).toMatch(
            /resnet18\(\)\s*→ \(N, 1000\) · 11,689,512$/,
          );
          const status = await waitFor('the ConvLens status bar item', async () => {
            const t = await w.page
              .locator('.statusbar-item')
              .filter({ hasText: 'params' })
              .first()
              .innerText()
              .catch(() => '');
            return t.includes('11,689,512') ? t : null;
          });
          expect(status).toContain('60 layers · 11,689,512 params');
          // where the packages came from, in the ConvLens output
          const log = await waitFor('the environment in the ConvLens log', async () => {
            const l = convlensLog();
            return l.includes('Packages imported by files in') ? l : null;
          });
          expect(log).toMatch(
            /Packages imported by files in (\S+) are read from: \1\/\.venv\/lib\/python3\.11\/site-packages \(venv\)/,
          );

          // timm is not in the .venv: Problems says so at the call
          await w.openFile('library_missing.py');
          const problems = await w.problemsText((t) => t.includes('timm package'));
          expect(problems).toContain(
            'timm.create_model: ConvLens found no source of the timm package, so the model this call builds is not read.',
          );
          expect(problems).toMatch(/ConvLens\s*\(?library-not-found\)?/);
          const call = positionOf(text('library_missing.py'), "timm.create_model('resnet18')");
          expect(problems).toContain(`[Ln ${call.line}, Col ${call.col}]`);
          shots.push(await w.screenshot('10-library-not-found-problems'));
          await w.hidePanel();
        });
      },
    );

    test('16. The panel follows the cursor: time from a cursor move to the layer drawn (p50/p95 over 24 moves)', async () => {
      await scenario('16-cursor-follow', wb, async (shots, note) => {
        const w = wb();
        await w.openFile('keras_cnn.py');
        const src = text('keras_cnn.py').split('\n');
        const names = [
          'conv2d',
          'max_pooling2d',
          'conv2d_1',
          'max_pooling2d_1',
          'flatten',
          'dense',
          'dropout',
          'dense_1',
        ];
        const lines = src.flatMap((l, i) => (l.startsWith('model.add(') ? [i + 1] : []));
        expect(lines).toHaveLength(names.length);
        // a first open: the panel an earlier scenario left is closed, so the command creates it
        const panelTab = w.page.locator('.tabs-container .tab', { hasText: 'ConvLens Explorer' });
        while ((await panelTab.count()) > 0) {
          await panelTab.first().locator('.codicon-close').click();
          await w.page.waitForTimeout(200);
        }
        await w.gotoLineCol(lines[0]!, 25);
        // from the Enter that runs the command (typing its name in the palette is not counted)
        let opened = 0;
        await w.runCommand('ConvLens: Visualize Layer at Cursor', { picked: () => (opened = Date.now()) });
        await waitFor(
          'the panel',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && l.name === 'conv2d' ? true : null;
          },
          60_000,
          20,
        );
        const firstOpen = Date.now() - opened;
        const times: number[] = [];
        const frame = await w.webviewFrame();
        // the same open on the page's clock: to the end of the render that drew conv2d (the poll
        // above adds its own round trips), with where the time went
        const tl = await frame.evaluate(inPage.pageTimeline);
        expect(tl.rendered).not.toBeNull();
        const at = (t: number | null) => (t === null ? '?' : `${Math.round(t - opened)}`);
        const firstOpenInPage = Math.round(tl.rendered! - opened);
        expect(firstOpenInPage).toBeLessThanOrEqual(firstOpen);
        // back and forth over the model, as a learner steps through it: the first pass computes, later ones reuse
        const order = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0, 2, 4, 6, 7, 5, 3, 1, 0, 3, 7];
        const moves: Move[] = [];
        for (const k of order) moves.push(await w.moveAndDraw(frame, names[k]!, lines[k]!, 12, 30_000));
        times.push(...moves.map((m) => m.ms));
        // the slowest moves, with where their time went
        const slowest = [...moves.keys()].sort((a, b) => moves[b]!.ms - moves[a]!.ms).slice(0, 4);
        const sorted = [...times].sort((a, b) => a - b);
        const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
        note(
          `first open (the command taken in the palette → conv2d drawn) ${firstOpenInPage} ms in the page (${firstOpen} ms polled; the page's navigation at ${at(tl.origin)} ms, taken by VS Code's service worker at ${at(tl.worker)} ms, ConvLens's script loaded at ${at(tl.script)} ms); cursor move → layer drawn: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms over ${times.length} moves (textbook CNN; from the key press that moves the cursor to the panel's render of the layer, recorded in the page; a move after a rest is followed at once; the slowest, total (state received in the page at / renders took): ${slowest.map((i) => moveText(names[order[i]!]!, moves[i]!)).join(', ')})`,
        );
        expect(await w.webviewPaintedShare('panel')).toBeGreaterThan(0.05);
        shots.push(await w.screenshot('16-cursor-follow'));
      });
    });

    test('19. The panel follows the cursor on VGG16 at 224²: p50/p95 over 24 moves after the first computation', async () => {
      await scenario('19-cursor-follow-vgg16', wb, async (shots, note) => {
        const w = wb();
        await w.openFile('vgg16.py');
        const src = text('vgg16.py').split('\n');
        const lineOf = (name: string) => src.findIndex((l) => l.includes(`name='${name}'`)) + 1;
        const lines = VGG16_LAYERS.map(lineOf);
        expect(lines.every((l) => l > 0)).toBe(true);
        await w.gotoLineCol(lines[0]!, 12);
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        const ready = async (name: string, timeoutMs: number) =>
          waitFor(
            `the panel on ${name}`,
            async () => {
              const l = await w.panelLayer();
              return !l.busy && l.name === name ? true : null;
            },
            timeoutMs,
            20,
          );
        // the first computation: every feature layer once, top to bottom (not counted)
        const first: number[] = [];
        const t0 = Date.now();
        await ready(VGG16_LAYERS[0]!, 120_000);
        first.push(Date.now() - t0);
        const firstFrame = await w.webviewFrame();
        for (const [k, name] of VGG16_LAYERS.entries())
          if (k > 0) first.push(await w.timeToDrawn(firstFrame, name, lines[k]!, 12, 120_000));
        const moves: Move[] = [];
        const frame = await w.webviewFrame();
        // (the first pass ended on block5_pool: the first move goes elsewhere, so that every move changes the layer)
        const order = [12, 17, 3, 0, 1, 5, 9, 14, 16, 10, 6, 2, 4, 8, 13, 11, 7, 15, 0, 17, 1, 3, 2, 6];
        for (const k of order) moves.push(await w.moveAndDraw(frame, VGG16_LAYERS[k]!, lines[k]!, 12, 60_000));
        const times = moves.map((m) => m.ms);
        const sorted = [...times].sort((a, b) => a - b);
        const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
        note(
          `VGG16 224²: first pass over the 18 feature layers ${first.reduce((a, b) => a + b, 0)} ms; then cursor move → layer drawn: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms over ${times.length} moves (max ${sorted.at(-1)} ms; by layer, total (state received in the page at / renders took): ${order.map((k, i) => moveText(VGG16_LAYERS[k]!, moves[i]!)).join(', ')})`,
        );
        expect(await w.webviewPaintedShare('panel')).toBeGreaterThan(0.05);
        shots.push(await w.screenshot('19-cursor-follow-vgg16'));
      });
    });

    test('17. A file that would run for minutes: hovers in another open file stay responsive', async () => {
      await scenario('17-hang-file', wb, async (shots, note) => {
        const w = wb();
        await w.openFile('torch_lenet.py');
        const at = positionOf(text('torch_lenet.py'), 'Conv2d', 'self.conv1');
        // the hang file is analyzed as soon as it is opened, off the extension host's thread
        const t0 = Date.now();
        await w.openFile('hang.py');
        const opened = Date.now() - t0;
        await w.openFile('torch_lenet.py');
        await w.gotoLineCol(at.line, at.col + 2);
        const t1 = Date.now();
        const hover = await w.showHoverText((t) => t.includes('conv1 · Conv2d'));
        const ms = Date.now() - t1;
        expect(hover).toContain('(N, 1, 32, 32) → (N, 6, 28, 28)');
        shots.push(await w.screenshot('17-hover-beside-hang-file'));
        await w.hideHover();
        // the hang file itself: its model is shown, the stop is a warning on its first line
        await w.openFile('hang.py');
        const conv = positionOf(HANG, 'nn.Conv2d');
        await w.gotoLineCol(conv.line, conv.col + 4);
        const own = await w.showHoverText((t) => t.includes('Conv2d'));
        expect(own).toContain('(N, 3, 32, 32) → (N, 8, 30, 30)');
        await w.hideHover();
        note(`hang file opened in ${opened} ms; hover in the other file ${ms} ms after it`);
        shots.push(await w.screenshot('17-hang-file'));
      });
    });

    test("12. PyTorch forward(): each line's inline shape is what it assigns or returns", async () => {
      await scenario('12-forward-inline-shapes', wb, async (shots) => {
        const w = wb();
        await w.openFile('torch_lenet.py');
        // LeNet on 32×32: conv 5×5 → 28, pool 2 → 14; conv → 10, pool → 5; fc3 → 10 classes
        const lines = await waitFor('inline shapes on the forward lines', async () => {
          const l = await w.editorDomLines();
          return l.some((x) => x.includes('self.conv1(x)))') && x.includes('→')) ? l : null;
        });
        expect(lines.find((x) => x.includes('x = self.pool(F.relu(self.conv1(x)))'))).toMatch(
          /self\.conv1\(x\)\)\)\s*→ \(N, 6, 14, 14\)$/,
        );
        expect(lines.find((x) => x.includes('x = self.pool(F.relu(self.conv2(x)))'))).toMatch(/→ \(N, 16, 5, 5\)$/);
        expect(lines.find((x) => x.includes('return self.fc3(x)'))).toMatch(/→ \(N, 10\)$/);
        shots.push(await w.screenshot('12-forward-inline-shapes'));
      });
    });

    test('13. A layer built by a helper: the hover at each call site is that layer', async () => {
      await scenario('13-helper-call-site', wb, async (shots) => {
        const w = wb();
        await w.openFile('helper_conv.py');
        const src = text('helper_conv.py');
        const at = positionOf(src, 'conv3x3(16, 32, stride=2)');
        await w.gotoLineCol(at.line, at.col + 2);
        const hover = await w.showHoverText((t) => t.includes('conv2'));
        // Conv2d(16, 32, 3, stride 2, padding 1) on 32×32: ⌊(32 + 2 − 3) / 2⌋ + 1 = 16; 3·3·16·32 = 4,608
        expect(hover).toContain('conv2 · Conv2d');
        expect(hover).toContain('(N, 16, 32, 32) → (N, 32, 16, 16)');
        expect(hover).toContain('4,608');
        shots.push(await w.screenshot('13-helper-call-site-hover'));
        await w.hideHover();
        const lines = await w.editorDomLines();
        expect(lines.find((x) => x.includes('self.conv1 = conv3x3(3, 16)'))).toMatch(/→ \(N, 16, 32, 32\) · 432$/);
      });
    });

    test('14. Conv1D: the panel slides the kernel of 3 along 10 numbers, 8 outputs', async () => {
      await scenario('14-conv1d-panel', wb, async (shots) => {
        const w = wb();
        await w.openFile('conv1d.py');
        const at = positionOf(text('conv1d.py'), 'Conv1D');
        await w.gotoLineCol(at.line, at.col);
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        const layer = await waitFor(
          'the panel on conv1d',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && l.title.includes('conv1d') ? l : null;
          },
          60_000,
          250,
        );
        expect(layer.title).toContain('Conv1D');
        // (cards below the first screen are built a moment after the layer)
        const panel = await waitFor('the panel text', async () => {
          const text = await w.webviewText();
          return text.includes('10 → 8') ? text : null;
        });
        expect(panel).toContain('Kernel · 3');
        expect(panel).toContain('10 → 8');
        // the feature map: one row of 8 values
        const maps = await waitFor('the 1×8 feature map', async () => {
          const m = await w.featureMaps();
          return m.some((c) => c.width === 8 && c.height === 1) ? m : null;
        });
        expect(maps.length).toBeGreaterThan(0);
        shots.push(await w.screenshot('14-conv1d-panel'));
      });
    });

    test('15. Set Input Shape applies to the model at the cursor only', async () => {
      await scenario('15-set-input-shape-per-model', wb, async (shots) => {
        const w = wb();
        await w.openFile('two_models.py');
        const src = text('two_models.py');
        const at = positionOf(src, 'layers.Conv2D(8, 3)');
        await w.gotoLineCol(at.line, at.col);
        await w.runCommandWithInput('ConvLens: Set Input Shape', 'input shape', '32, 32, 3');
        // open_input: 32×32 → 30×30 with 8 filters; declared keeps its own 28×28 → 26×26
        const lines = await waitFor('the shapes after Set Input Shape', async () => {
          const l = await w.editorDomLines();
          return l.some((x) => x.includes('→ (None, 30, 30, 8)')) ? l : null;
        });
        expect(lines.find((x) => x.startsWith('declared ='))).toMatch(/→ \(None, 26, 26, 4\) · 40$/);
        expect(lines.find((x) => x.startsWith('open_input ='))).toMatch(/→ \(None, 30, 30, 8\) · 224$/);
        shots.push(await w.screenshot('15-set-input-shape-per-model'));
      });
    });

    test('18. A notebook: hover, inline shapes, Set Input Shape and Visualize from its cells', async () => {
      await scenario('18-notebook', wb, async (shots) => {
        const w = wb();
        await w.openFile('models.ipynb', { text: false });
        const cells = w.page.locator('.code-cell-row .cell-editor-container > .monaco-editor');
        await waitFor(
          'the notebook’s three code cells',
          async () => ((await cells.count()) >= 3 ? true : null),
          30_000,
        );
        const cellLines = (i: number) => cells.nth(i).evaluate(inPage.renderedLines);
        // the third cell: its inline shapes, computed with the first cell's imports
        const third = await waitFor('inline shapes in the third cell', async () => {
          const l = await cellLines(2);
          return l.some((x) => x.includes('→ (None, 26, 26, 4) · 40')) ? l : null;
        });
        expect(third.find((x) => x.includes('MaxPooling2D(2)'))).toMatch(/→ \(None, 13, 13, 4\)$/);
        // the imports cell shows no shape of another cell's layers
        expect((await cellLines(0)).join('\n')).not.toContain('→');
        // hover on Conv2D inside the cell
        await cells.nth(2).locator('.view-line span', { hasText: 'Conv2D' }).first().click();
        const hover = await waitFor(
          'a hover in the cell',
          async () => {
            await w.page.keyboard.press('Control+K');
            await w.page.keyboard.press('Control+I');
            const h = w.visibleHover();
            const t = await waitFor(
              'hover text',
              async () => ((await h.isVisible()) ? await h.innerText() : null),
              4000,
            ).catch(() => null);
            if (t && t.includes('Conv2D')) return t;
            await w.page.keyboard.press('Escape');
            return null;
          },
          30_000,
          200,
        );
        expect(hover).toContain('(None, 28, 28, 1) → (None, 26, 26, 4)');
        shots.push(await w.screenshot('18-notebook-hover'));
        await w.hideHover();
        // Set Input Shape from the second cell: its model takes 32×32×3, the declared one keeps its own
        await cells.nth(1).locator('.view-line span', { hasText: 'Conv2D' }).first().click();
        await w.runCommandWithInput('ConvLens: Set Input Shape', 'input shape', '32, 32, 3');
        const second = await waitFor('the second cell’s shape after Set Input Shape', async () => {
          const l = await cellLines(1);
          return l.some((x) => x.includes('→ (None, 30, 30, 8) · 224')) ? l : null;
        });
        expect(second.join('\n')).toContain('→ (None, 30, 30, 8) · 224');
        expect((await cellLines(2)).join('\n')).toContain('→ (None, 26, 26, 4) · 40');
        // Visualize from the third cell
        await cells.nth(2).locator('.view-line span', { hasText: 'Conv2D' }).first().click();
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        const layer = await waitFor('the panel on conv2d', async () => {
          const l = await w.panelLayer().catch(() => null);
          return l && !l.busy && /conv2d/.test(l.name) ? l : null;
        });
        expect(layer.name).toMatch(/conv2d/);
        const maps = await waitFor('feature maps drawn', async () => {
          const m = await w.featureMaps().catch(() => []);
          return m.length >= 4 && m.some((c) => c.width === 26 && c.variance > 0) ? m : null;
        });
        expect(maps.length).toBeGreaterThanOrEqual(4);
        shots.push(await w.screenshot('18-notebook-panel'));
      });
    });

    test('11. A saved .keras model opens in its own editor: the summary, and a layer in the Explorer with its trained weights', async () => {
      await scenario('11-model-file', wb, async (shots) => {
        const w = wb();
        // the input the oracle below uses (an earlier scenario may have chosen another)
        await w.runCommand('ConvLens: Choose Input Image');
        await w.quickInput
          .locator('.quick-input-list .monaco-list-row', { hasText: 'digit-0' })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 });
        await w.page.keyboard.type('digit-3');
        await w.pickQuickItem('digit-3');
        await w.openFile('textbook-cnn.keras', { text: false });
        const summary = await waitFor(
          'the model file summary',
          async () => {
            const f = await w.webviewFrame(60_000, 'modelfile');
            const t = await f.evaluate(inPage.bodyText);
            return t.includes('(None, 28, 28, 32)') ? { f, t } : null;
          },
          60_000,
          250,
        );
        // the file's own names and Keras's numbers (model.summary() of the saved model)
        for (const want of ['conv2d', 'max_pooling2d_1', 'dense_1', '320', '18,496', '313,700', '333,526'])
          expect(summary.t).toContain(want);
        expect(summary.t).toContain('Keras (.keras)');
        shots.push(await w.screenshot('11-model-file-summary'));

        // a row opens the layer in the Explorer beside, with the file's trained weights
        await summary.f.locator('tbody tr', { hasText: '(Conv2D)' }).first().click();
        const maps = await waitFor(
          'feature maps of the trained conv2d',
          async () => {
            const m = await w.featureMaps();
            return m.filter((c) => c.width === 28 && c.height === 28 && c.variance > 10).length >= 8 ? m : null;
          },
          60_000,
          250,
        );
        expect(maps.length).toBeGreaterThanOrEqual(32);
        // (the weights card, below the first screen, is built a moment after the maps)
        const panel = await waitFor('the weights card', async () => {
          const text = await w.webviewText();
          return text.includes('kernel (3, 3, 1, 32)') ? text : null;
        });
        expect(panel).toContain('Trained weights: textbook-cnn.keras');
        expect(panel).toContain('Input: digit-3');
        expect(panel).toContain('kernel (3, 3, 1, 32)');
        expect((await w.panelLayer()).title).toContain('conv2d');
        // the tiles' colours decode to the trained conv2d's outputs on digit-3, computed here
        const want = trainedConv2dMaps();
        const tiles = await waitFor(
          'the feature-map tiles decoding to the trained outputs',
          async () => {
            const px = await readCanvases(await w.webviewFrame(), '.maps .tile-canvas');
            return px.length === want.length && tileProblems(px, want) === '' ? px : null;
          },
          20_000,
          250,
        ).catch(async () => readCanvases(await w.webviewFrame(), '.maps .tile-canvas'));
        expect(tiles).toHaveLength(want.length);
        expect(tileProblems(tiles, want)).toBe('');
        shots.push(await w.screenshot('11-model-file-panel'));
      });
    });
  });

  describe('Korean (--locale ko)', () => {
    // VS Code reports vscode.env.language = 'ko' only with a Korean language pack installed (and
    // registered in languagepacks.json); the harness builds an empty stub pack (no download).
    const { wb, text } = useWorkbench('ko', async () => ({
      locale: 'ko',
      extraExtensions: [await ensureLanguagePack('ko', 'Korean', '한국어')],
    }));

    test('5. Korean: the hover and the panel speak Korean', async () => {
      await scenario('5-korean', wb, async (shots) => {
        const w = wb();
        await w.openFile('keras_cnn.py');
        const src = text('keras_cnn.py');
        const conv = positionOf(src, 'Conv2D');
        await w.gotoLineCol(conv.line, conv.col);
        const hover = await w.showHoverText((t) => t.includes('Conv2D') && t.includes('→'));
        expect(hover).toContain('출력 크기');
        expect(hover).toMatch(/파라미터: 3·3·1·32 \+ 32 = 320/);
        expect(hover).toContain('시각화');
        shots.push(await w.screenshot('5-korean-hover'));
        await w.hideHover();
        await w.runCommand('ConvLens: 커서 위치의 층 시각화');
        await waitFor(
          'the Korean panel',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && l.title.includes('conv2d') && (await w.featureMaps()).some((c) => c.variance > 10);
          },
          60_000,
          250,
        );
        const panel = await w.webviewText();
        expect(panel).toContain('합성곱');
        expect(panel).toContain('입력: digit-3');
        expect(panel).toContain('특성 맵');
        shots.push(await w.screenshot('5-korean-panel'));
      });
    });
  });

  describe('Restricted mode (workspace trust on, folder not trusted)', () => {
    const { wb, text } = useWorkbench('restricted', async () => ({ disableWorkspaceTrust: false }), {
      beforeReady: (w) => w.answerTrustPrompt(false),
    });

    test('6. Restricted mode: hovers and the panel still work', async () => {
      await scenario('6-restricted-mode', wb, async (shots) => {
        const w = wb();
        await expect
          .poll(() => w.page.locator('.statusbar-item').filter({ hasText: 'Restricted Mode' }).count(), {
            timeout: 10_000,
          })
          .toBeGreaterThan(0);
        await w.openFile('keras_cnn.py');
        await expect
          .poll(
            () =>
              w.page
                .locator('.editor-banner, .monaco-workbench .banner')
                .filter({ hasText: 'Restricted Mode' })
                .count(),
            { timeout: 10_000 },
          )
          .toBeGreaterThan(0);
        const src = text('keras_cnn.py');
        const conv = positionOf(src, 'Conv2D');
        await w.gotoLineCol(conv.line, conv.col);
        const hover = await w.showHoverText((t) => t.includes('Conv2D') && t.includes('→'));
        expect(hover).toContain('(None, 28, 28, 1) → (None, 28, 28, 32)');
        shots.push(await w.screenshot('6-restricted-hover'));
        await w.hideHover();
        await w.runCommand('ConvLens: Visualize Layer at Cursor');
        await waitFor(
          'the panel in restricted mode',
          async () => {
            const l = await w.panelLayer();
            return !l.busy && l.title.includes('conv2d') && (await w.featureMaps()).some((c) => c.variance > 10);
          },
          60_000,
          250,
        );
        shots.push(await w.screenshot('6-restricted-panel'));
      });
    });
  });
});
