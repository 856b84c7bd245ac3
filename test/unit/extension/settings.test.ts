/** The settings reader turns any bad value into the default; good values pass through. */
import { describe, expect, it } from 'vitest';
import { chooseLocale, DEFAULTS, settingsFrom } from '../../../src/extension/settings';

describe('settingsFrom', () => {
  it('an empty or junk configuration gives the defaults', () => {
    expect(settingsFrom({})).toEqual(DEFAULTS);
    expect(
      settingsFrom({
        defaultInputShape: { a: 1 },
        inlineShapes: 'yes',
        colormap: 'rainbow',
        normalization: 3,
        maxElements: -5,
        workerThreads: 1.5,
        activationCacheMb: -1,
        pythonPath: 42,
        language: 'fr',
      }),
    ).toEqual(DEFAULTS);
  });

  it('valid values are kept', () => {
    const s = settingsFrom({
      defaultInputShape: '(3, 224, 224)',
      inlineShapes: false,
      colormap: 'magma',
      normalization: 'per-layer',
      maxElements: 1 << 20,
      workerThreads: 2,
      activationCacheMb: 64,
      pythonPath: '  ${workspaceFolder}/.venv/bin/python ',
      language: 'ko',
    });
    expect(s).toEqual({
      defaultInputShape: [3, 224, 224],
      inlineShapes: false,
      colormap: 'magma',
      normalization: 'per-layer',
      maxElements: 1 << 20,
      workerThreads: 2,
      activationCacheMb: 64,
      pythonPath: '${workspaceFolder}/.venv/bin/python',
      language: 'ko',
    });
  });

  it('pythonPath: a trimmed, non-empty path of sane length', () => {
    expect(settingsFrom({ pythonPath: 'C:\\x\\.venv\\Scripts\\python.exe' }).pythonPath).toBe(
      'C:\\x\\.venv\\Scripts\\python.exe',
    );
    expect(settingsFrom({ pythonPath: '   ' }).pythonPath).toBeNull();
    expect(settingsFrom({ pythonPath: 'x'.repeat(5000) }).pythonPath).toBeNull();
    expect(settingsFrom({ pythonPath: '/a\0b' }).pythonPath).toBeNull();
    expect(settingsFrom({ pythonPath: ['/x'] }).pythonPath).toBeNull();
  });

  it('input shapes: arrays and strings, zero and huge sizes refused', () => {
    expect(settingsFrom({ defaultInputShape: [1, 28, 28] }).defaultInputShape).toEqual([1, 28, 28]);
    expect(settingsFrom({ defaultInputShape: '28x28x1' }).defaultInputShape).toEqual([28, 28, 1]);
    expect(settingsFrom({ defaultInputShape: '1, 0, 28' }).defaultInputShape).toBeNull();
    expect(settingsFrom({ defaultInputShape: [1, 100000, 28] }).defaultInputShape).toBeNull();
    expect(settingsFrom({ defaultInputShape: '1,2,3,4,5' }).defaultInputShape).toBeNull();
  });

  it('the element cap is clamped to a sane window, not trusted', () => {
    expect(settingsFrom({ maxElements: 2 ** 40 }).maxElements).toBe(DEFAULTS.maxElements);
    expect(settingsFrom({ maxElements: 10 }).maxElements).toBe(DEFAULTS.maxElements);
  });

  it('language: auto, en or ko; anything else is auto', () => {
    expect(DEFAULTS.language).toBe('auto');
    for (const v of ['auto', 'en', 'ko'] as const) expect(settingsFrom({ language: v }).language).toBe(v);
    for (const v of ['KO', 'ko-KR', '', 1, null, ['ko']]) expect(settingsFrom({ language: v }).language).toBe('auto');
  });
});

describe('chooseLocale: the language of ConvLens texts', () => {
  it("'auto' follows VS Code's display language: Korean for ko and ko-KR, English for the rest", () => {
    expect(chooseLocale('auto', 'ko')).toBe('ko');
    expect(chooseLocale('auto', 'ko-KR')).toBe('ko');
    expect(chooseLocale('auto', 'en')).toBe('en');
    expect(chooseLocale('auto', 'en-us')).toBe('en');
    expect(chooseLocale('auto', 'ja')).toBe('en');
    expect(chooseLocale(undefined, 'ko')).toBe('ko');
  });

  it('an explicit choice wins over the display language, both ways', () => {
    expect(chooseLocale('ko', 'en')).toBe('ko');
    expect(chooseLocale('en', 'ko')).toBe('en');
  });

  it('a bad value counts as auto', () => {
    expect(chooseLocale('korean', 'en')).toBe('en');
    expect(chooseLocale(42, 'ko')).toBe('ko');
  });
});
