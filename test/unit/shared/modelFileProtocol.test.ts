/**
 * The model file editor validates every state it receives and drops what fails: the host fits
 * its states first, so an absurd model (more layers than the editor draws, names of thousands of
 * characters, thousands of messages) is shown in part, with a message saying what was cut,
 * instead of leaving the editor on "loading".
 */
import { describe, expect, it } from 'vitest';
import {
  fitModelFileState,
  isHostToModelFile,
  MAX_ROWS,
  type ModelFileRow,
  type ModelFileSummary,
} from '../../../src/shared/modelFileProtocol';

const row = (i: number, name = `dense_${i}`): ModelFileRow => ({
  index: i,
  name,
  type: 'Dense',
  outputShape: '(None, 10)',
  params: 110,
  problem: null,
  weights: [],
});

function summary(rows: ModelFileRow[], extra: Partial<ModelFileSummary> = {}): ModelFileSummary {
  return {
    kind: 'summary',
    file: 'm.keras',
    format: 'Keras (.keras)',
    modelName: 'm',
    input: '(None, 10)',
    totalParams: 110 * rows.length,
    trainableParams: 110 * rows.length,
    metadata: [['keras_version', '3.5.0']],
    rows,
    messages: [],
    selected: 0,
    partial: false,
    hasSource: true,
    ...extra,
  };
}

const accepted = (state: unknown) => isHostToModelFile({ type: 'state', state, locale: 'en' });

describe('fitModelFileState', () => {
  it('a state the editor accepts is posted as it is', () => {
    const s = summary([row(0), row(1)]);
    expect(fitModelFileState(s, 'en')).toBe(s);
  });

  it(`${MAX_ROWS + 5000} layers: the first ${MAX_ROWS} are shown, partial, with a message saying so`, () => {
    const s = summary(
      Array.from({ length: MAX_ROWS + 5000 }, (_, i) => row(i)),
      { selected: MAX_ROWS + 10 },
    );
    expect(accepted(s)).toBe(false);
    const f = fitModelFileState(s, 'en') as ModelFileSummary;
    expect(accepted(f)).toBe(true);
    expect(f.rows).toHaveLength(MAX_ROWS);
    expect(f.partial).toBe(true);
    expect(f.selected).toBe(MAX_ROWS - 1);
    expect(f.messages.at(-1)).toEqual({
      severity: 'warning',
      text: 'only the first 20,000 of 25,000 layers are shown (too large to draw)',
    });
    expect((fitModelFileState(s, 'ko') as ModelFileSummary).messages.at(-1)!.text).toBe(
      '층 25,000개 중 처음 20,000개만 보여 줍니다(너무 커서 다 그릴 수 없습니다)',
    );
  });

  it('a 5,000-character layer name, 3,000 messages and an infinite parameter count', () => {
    const s = summary([row(0, 'x'.repeat(5000))], {
      messages: Array.from({ length: 3000 }, (_, i) => ({ severity: 'info' as const, text: `note ${i}` })),
      totalParams: Number.POSITIVE_INFINITY,
    });
    expect(accepted(s)).toBe(false);
    const f = fitModelFileState(s, 'en') as ModelFileSummary;
    expect(accepted(f)).toBe(true);
    expect(f.rows[0]!.name).toBe(`${'x'.repeat(999)}…`);
    expect(f.totalParams).toBeNull();
    expect(f.messages).toHaveLength(1000);
    expect(f.messages.at(-1)!.text).toBe('999 of 3,000 messages are shown');
  });
});
