/**
 * Times the explorer panel drawing feature maps in Chromium: a Conv2D(64, 3, padding='same',
 * activation='relu') on the 224×224 RGB sample scene, i.e. 64 maps of 224×224 (3.2 M values),
 * drawn as tiles through the colour table, and the whole panel render around it. The panel marks
 * both with performance.measure ('convlens:tiles:map', 'convlens:render'); each round re-renders
 * by flipping the colour scale (per map ⇄ per layer), which redraws every map.
 * Run: npx tsx scripts/bench-webview.ts [rounds]   (needs /usr/bin/chromium and playwright-core)
 */
import { modelState, runSource, settingsMsg, stateMsg } from '../test/webview/fixtures';
import { ensureBuilt, launch, openPanel } from '../test/webview/harness';

const ROUNDS = Number(process.argv[2] ?? 15);

const SOURCE = `from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv2D(64, 3, padding='same', activation='relu', input_shape=(224, 224, 3)),
])
`;

interface Perf {
  performance: { getEntriesByName(n: string): { duration: number }[]; clearMeasures(): void };
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  await ensureBuilt();
  const run = runSource(SOURCE, { image: 'scene-224.png' });
  const state = modelState(run, 0);
  const [n, h, w] = state.layer!.output.shape;
  const browser = await launch();
  try {
    const panel = await openPanel(browser, { width: 1400, height: 1000 });
    await panel.send(settingsMsg());
    await panel.send(stateMsg(state));
    const count = (): Promise<number> =>
      panel.page.evaluate(
        () => (globalThis as unknown as Perf).performance.getEntriesByName('convlens:tiles:map').length,
      );
    await panel.page.evaluate(() => (globalThis as unknown as Perf).performance.clearMeasures());
    for (let i = 0; i < ROUNDS; i++) {
      const before = await count();
      await panel.page.getByRole('radio', { name: i % 2 === 0 ? 'Per layer' : 'Per map' }).click();
      await panel.page.waitForFunction(
        (b) => (globalThis as unknown as Perf).performance.getEntriesByName('convlens:tiles:map').length > b,
        before,
      );
    }
    const read = (name: string): Promise<number[]> =>
      panel.page.evaluate(
        (m) => (globalThis as unknown as Perf).performance.getEntriesByName(m).map((e) => e.duration),
        name,
      );
    const maps = stats(await read('convlens:tiles:map'));
    const render = stats(await read('convlens:render'));
    const problems = await panel.problems();
    if (problems.length) throw new Error(problems.join('\n'));
    const f = (x: number): string => x.toFixed(1);
    console.log(`ConvLens webview, Chromium ${browser.version()}, ${ROUNDS} rounds`);
    console.log(
      `  draw ${n} feature maps of ${h}×${w} (${((n * h * w) / 1e6).toFixed(1)} M values): median ${f(maps.median)} ms (min ${f(maps.min)}, max ${f(maps.max)})`,
    );
    console.log(
      `  whole panel render (stage, maps, kernels, padding comparison): median ${f(render.median)} ms (min ${f(render.min)}, max ${f(render.max)})`,
    );
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
