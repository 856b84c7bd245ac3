/** The extension manifest and the code agree; the package meets the marketplace's rules. */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, any>;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const nlsKo = JSON.parse(readFileSync('package.nls.ko.json', 'utf8')) as Record<string, string>;

function commandIdsInCode(): string[] {
  const src = readFileSync('src/extension/commands.ts', 'utf8');
  const body = src.slice(src.indexOf('export const COMMANDS'));
  return [...body.matchAll(/^\s{2}'(convlens\.[A-Za-z]+)':/gm)].map((m) => m[1]!).sort();
}

describe('package.json', () => {
  it('every bundle the build writes ships in the .vsix (.vscodeignore lets it through)', () => {
    const built = [...readFileSync('scripts/build.mjs', 'utf8').matchAll(/outfile: '(dist\/[^']+)'/g)].map(
      (m) => m[1]!,
    );
    expect(built).toContain('dist/modelfile.js');
    const allowed = readFileSync('.vscodeignore', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).trim());
    for (const f of built) expect(allowed, f).toContain(f);
  });

  it('the model file editor is contributed for .keras, .h5 and .onnx, with a localized name', () => {
    const editors = pkg.contributes.customEditors as {
      viewType: string;
      displayName: string;
      selector: { filenamePattern: string }[];
    }[];
    const e = editors.find((x) => x.viewType === 'convlens.modelFile')!;
    expect(e.selector.map((s) => s.filenamePattern)).toEqual(expect.arrayContaining(['*.keras', '*.h5', '*.onnx']));
    const key = /^%(.+)%$/.exec(e.displayName)![1]!;
    expect([nls[key], nlsKo[key]].every(Boolean)).toBe(true);
    expect(readFileSync('src/extension/modelFileEditor.ts', 'utf8')).toContain(`'${e.viewType}'`);
  });

  it('command ids in code and in package.json are the same', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    expect(commandIdsInCode()).toEqual(contributed);
    expect(contributed.length).toBeGreaterThan(0);
  });

  it('every command is in the ConvLens category with a localized title in English and Korean', () => {
    for (const c of pkg.contributes.commands as { category: string; title: string }[]) {
      expect(c.category).toBe('ConvLens');
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      expect(key, c.title).toBeDefined();
      expect(nls[key!]).toBeTruthy();
      expect(nlsKo[key!]).toBeTruthy();
    }
  });

  it('every setting has a localized description in English and Korean, and the code reads each one', () => {
    const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
    const settingsSrc = readFileSync('src/extension/settings.ts', 'utf8');
    for (const [name, p] of Object.entries(props)) {
      const key = /^%(.+)%$/.exec(String(p['markdownDescription'] ?? p['description']))?.[1];
      expect(key, name).toBeDefined();
      expect(nls[key!], name).toBeTruthy();
      expect(nlsKo[key!], name).toBeTruthy();
      expect(settingsSrc, name).toContain(`'${name.replace(/^convlens\./, '')}'`);
    }
    // settings an untrusted workspace may not set: the one that names files to read, and those that
    // size what the extension spends (worker threads, the element cap of a tensor, the memory the
    // panel's activations may take)
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toEqual([
      'convlens.pythonPath',
      'convlens.workerThreads',
      'convlens.maxElements',
      'convlens.activationCacheMb',
    ]);
  });

  it('is a complete manifest', () => {
    expect(pkg.name).toBe('convlens');
    expect(pkg.displayName).toBe('ConvLens — CNN Explorer');
    expect(pkg.engines.vscode).toBe('^1.100.0');
    expect(pkg.activationEvents).toContain('onLanguage:python');
    expect(pkg.main).toBe('./dist/extension.js');
    expect(pkg.bin).toEqual({ convlens: 'dist/cli.js' });
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(pkg.capabilities.virtualWorkspaces).toBe(true);
    expect(existsSync(pkg.icon)).toBe(true);
    expect(pkg.license).toBe('MIT');
  });

  it('@types/vscode is not newer than engines.vscode (vsce refuses that)', () => {
    const types = String(pkg.devDependencies['@types/vscode']).replace(/^[\^~]/, '');
    const engine = String(pkg.engines.vscode).replace(/^[\^~]/, '');
    const [ta, tb] = types.split('.').map(Number);
    const [ea, eb] = engine.split('.').map(Number);
    expect(ta! * 1000 + tb!).toBeLessThanOrEqual(ea! * 1000 + eb!);
  });

  it('the Korean l10n bundle and the strings the code localizes are the same set', () => {
    const ko = JSON.parse(readFileSync('l10n/bundle.l10n.ko.json', 'utf8')) as Record<string, string>;
    const dir = 'src/extension';
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
      .join('\n');
    const used = new Set(
      [...sources.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)].map((m) =>
        (m[1] ?? m[2]!).replace(/\\(.)/g, '$1'),
      ),
    );
    // every string the code localizes has a Korean translation, and every translation is used
    expect(
      [...used].filter((k) => !(k in ko)),
      'untranslated',
    ).toEqual([]);
    expect(
      Object.keys(ko).filter((k) => !used.has(k)),
      'unused',
    ).toEqual([]);
  });
});
