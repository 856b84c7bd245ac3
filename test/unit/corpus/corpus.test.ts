/**
 * The analyzer on real, unmodified library source (the model-zoo corpus of
 * scripts/setup-corpus.sh: torchvision, timm and keras as published), against the truth the
 * real frameworks recorded (test/fixtures/corpus/truth.json, scripts/gen-corpus-truth.py).
 * Each model's defining file is read on its own with the builder call appended; the figures
 * (model found, layers matched, totals matched, false errors) may not fall below the committed
 * floor (test/fixtures/corpus/floor.json), a ratchet: an improvement is recorded with
 * `npx tsx scripts/corpus-report.ts --write-floor`.
 *
 * Without .corpus the measurement is skipped with the setup command printed, except in CI
 * (CI=true), where it fails.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  corpusMissing,
  FLOOR_FILE,
  formatOverall,
  formatTable,
  loadTruth,
  overall,
  regressions,
  type ModelResult,
  type Score,
} from '../../../scripts/corpus-compare';
import { measureIsolated } from '../../../scripts/corpus-isolate';

const IS_CI = process.env['CI'] === 'true';
const truth = loadTruth();
const floor = JSON.parse(readFileSync(FLOOR_FILE, 'utf8')) as Record<string, Score>;
const missing = corpusMissing();

describe('model-zoo corpus: truth and floor', () => {
  it('the truth holds at least 40 models from torchvision, keras.applications and timm, with their framework versions', () => {
    expect(truth.models.length).toBeGreaterThanOrEqual(40);
    expect(new Set(truth.models.map((m) => m.library))).toEqual(new Set(['torchvision', 'keras', 'timm']));
    expect(Object.keys(truth.versions).sort()).toEqual(['keras', 'tensorflow', 'timm', 'torch', 'torchvision']);
    expect(truth.generator).toBe('scripts/gen-corpus-truth.py');
  });

  it('the floor has exactly one entry per truth model', () => {
    expect(Object.keys(floor).sort()).toEqual(truth.models.map((m) => m.id).sort());
  });
});

if (missing) {
  if (IS_CI)
    it('model-zoo corpus prerequisites', () => {
      throw new Error(`${missing} (CI=true: the corpus measurement is required)`);
    });
  else console.warn(`${missing}\nSkipping the model-zoo corpus measurement.`);
}

describe.skipIf(!!missing)(
  'model-zoo corpus: the analyzer on unmodified library source, no worse than its floor',
  () => {
    const results: ModelResult[] = [];
    afterAll(() => {
      if (results.length === 0) return;
      console.log(`${formatTable(results)}\n\nmodel-zoo corpus: ${formatOverall(overall(results))}`);
    });

    for (const m of truth.models) {
      const f = floor[m.id];
      it(`${m.id} (${m.entry.file}, ${m.layers.length} layers): at least ${f?.matched ?? '?'} layers matched${f?.found ? ', found' : ''}${f?.totalsMatched ? ', total parameters equal' : ''}, at most ${f?.falseErrors ?? '?'} false errors${f?.crashed ? '' : ', the analysis finishes'}`, async () => {
        const r = await measureIsolated(m);
        results.push(r);
        expect(f, `no floor for ${m.id}`).toBeDefined();
        expect(regressions(r, f!), `${m.id} fell below its floor`).toEqual([]);
      });
    }
  },
);
