/**
 * First run: the walkthrough, the side bar's welcome buttons and the shipped examples agree with
 * the code and the localization, and every example is read as the framework would build it
 * (parameter counts from real PyTorch and Keras, shapes worked out by hand).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import type { ModelGraph } from '../../../src/model/ir';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, any>;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;
const nlsKo = JSON.parse(readFileSync('package.nls.ko.json', 'utf8')) as Record<string, string>;
const examplesSrc = readFileSync('src/extension/examples.ts', 'utf8');
const contributedCommands = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));

/** Every `%key%` string anywhere in the manifest. */
function nlsKeys(o: unknown, out: string[] = []): string[] {
  if (typeof o === 'string') {
    const m = /^%([\w.-]+)%$/.exec(o);
    if (m) out.push(m[1]!);
  } else if (Array.isArray(o)) for (const v of o) nlsKeys(v, out);
  else if (o && typeof o === 'object') for (const v of Object.values(o)) nlsKeys(v, out);
  return out;
}

/** The commands a Markdown text links to (`command:id` or `command:id?args`) and their arguments. */
function commandLinks(md: string): { id: string; args: unknown[] }[] {
  return [...md.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({
    id: m[1]!,
    args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : [],
  }));
}

const exampleIds = [...examplesSrc.matchAll(/^\s+id: '([\w-]+)',\n\s+file: '([\w.]+)'/gm)].map((m) => ({
  id: m[1]!,
  file: m[2]!,
}));

describe('localization of the manifest', () => {
  it('every %key% of package.json has an English and a Korean text, and neither file has others', () => {
    const used = new Set(nlsKeys(pkg));
    expect(
      [...used].filter((k) => !nls[k]),
      'missing in package.nls.json',
    ).toEqual([]);
    expect(
      [...used].filter((k) => !nlsKo[k]),
      'missing in package.nls.ko.json',
    ).toEqual([]);
    expect(
      Object.keys(nls).filter((k) => !used.has(k)),
      'unused English',
    ).toEqual([]);
    expect(Object.keys(nlsKo).sort()).toEqual(Object.keys(nls).sort());
  });

  it('the Korean texts are Korean (not copies of the English)', () => {
    for (const k of nlsKeys(pkg.contributes.walkthroughs).concat(nlsKeys(pkg.contributes.viewsWelcome))) {
      if (k.endsWith('.media')) continue;
      expect(nlsKo[k], k).toMatch(/[\uac00-\ud7a3]/);
      expect(nlsKo[k], k).not.toBe(nls[k]);
    }
  });
});

describe('walkthrough', () => {
  const walkthroughs = pkg.contributes.walkthroughs as {
    id: string;
    steps: { id: string; description: string; media: { markdown: string }; completionEvents: string[] }[];
  }[];
  const w = walkthroughs[0]!;

  it('is the one convlens.openWalkthrough opens (publisher.name#id)', () => {
    expect(walkthroughs).toHaveLength(1);
    expect(examplesSrc).toContain(`'${pkg.publisher}.${pkg.name}#${w.id}'`);
  });

  it('walks from the example to trained weights, each step completing on what the user did', () => {
    expect(w.steps.map((s) => s.id)).toEqual(['openExample', 'hover', 'explorer', 'draw', 'weights']);
    const contextKeys = [...examplesSrc.matchAll(/^\s+\w+: '(convlens\.walkthrough\.\w+)'/gm)].map((m) => m[1]!);
    expect(contextKeys).toHaveLength(4);
    for (const s of w.steps) {
      expect(s.completionEvents.length, s.id).toBeGreaterThan(0);
      for (const e of s.completionEvents) {
        const [kind, what] = e.split(/:(.*)/s) as [string, string];
        if (kind === 'onCommand') expect(contributedCommands, e).toContain(what);
        else if (kind === 'onContext') expect(contextKeys, e).toContain(what);
        else throw new Error(`${s.id}: unexpected completion event ${e}`);
      }
    }
    // each context key is set by the code, and completes a step
    const code = ['src/extension/extension.ts', 'src/extension/commands.ts', 'src/extension/examples.ts']
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const name of ['exampleOpened', 'hovered', 'drawn', 'weightsLoaded'])
      expect(code, name).toContain(`walkthroughStepDone(WALKTHROUGH_CONTEXT.${name})`);
    const events = w.steps.flatMap((s) => s.completionEvents);
    for (const k of contextKeys) expect(events).toContain(`onContext:${k}`);
  });

  it("the steps' buttons run contributed commands with arguments they accept", () => {
    for (const lang of [nls, nlsKo]) {
      const links = w.steps.flatMap((s) => commandLinks(lang[/^%(.+)%$/.exec(s.description)![1]!]!));
      expect(links.map((l) => l.id)).toEqual([
        'convlens.openExample',
        'convlens.visualizeLayer',
        'convlens.loadWeights',
      ]);
      for (const l of links) expect(contributedCommands).toContain(l.id);
      expect(links[0]!.args).toEqual(['textbook-cnn', 'readonly']);
      expect(exampleIds.map((e) => e.id)).toContain(links[0]!.args[0]);
      expect(links[2]!.args).toEqual(['textbook-cnn']);
    }
    // the shipped weights the last step loads
    expect(examplesSrc).toContain(`id === 'textbook-cnn'`);
    expect(existsSync('media/models/textbook-cnn.weights.h5')).toBe(true);
  });

  it('every step has a small Markdown page in English and in Korean', () => {
    for (const s of w.steps) {
      const key = /^%(.+)%$/.exec(s.media.markdown)![1]!;
      for (const [lang, file] of [
        ['en', nls[key]!],
        ['ko', nlsKo[key]!],
      ] as const) {
        expect(file, `${s.id} ${lang}`).toMatch(/^media\/walkthrough\/[\w.]+\.md$/);
        expect(existsSync(file), file).toBe(true);
        expect(statSync(file).size, file).toBeLessThan(4096);
        if (lang === 'ko') expect(readFileSync(file, 'utf8'), file).toMatch(/[\uac00-\ud7a3]/);
      }
    }
    // nothing else lies in the folder
    const used = w.steps.flatMap((s) => {
      const key = /^%(.+)%$/.exec(s.media.markdown)![1]!;
      return [nls[key]!, nlsKo[key]!];
    });
    expect(
      readdirSync('media/walkthrough')
        .map((f) => `media/walkthrough/${f}`)
        .sort(),
    ).toEqual([...used].sort());
  });
});

describe('side bar welcome', () => {
  it('the Get Started view is a tree view (VS Code shows viewsWelcome only there) registered by the code', () => {
    const views = pkg.contributes.views.convlens as { id: string; type?: string }[];
    const start = views.find((v) => v.id === 'convlens.startView')!;
    expect(start.type ?? 'tree').toBe('tree');
    expect(readFileSync('src/extension/extension.ts', 'utf8')).toContain(`START_VIEW_ID = '${start.id}'`);
  });

  it('offers Open Example, Open Walkthrough and Visualize Layer at Cursor, in English and Korean', () => {
    const welcome = pkg.contributes.viewsWelcome as { view: string; contents: string }[];
    expect(welcome.map((v) => v.view)).toEqual(['convlens.startView']);
    const key = /^%(.+)%$/.exec(welcome[0]!.contents)![1]!;
    for (const lang of [nls, nlsKo]) {
      const ids = commandLinks(lang[key]!).map((l) => l.id);
      expect(ids).toEqual(['convlens.openExample', 'convlens.openWalkthrough', 'convlens.visualizeLayer']);
      for (const id of ids) expect(contributedCommands).toContain(id);
    }
    // the buttons carry the commands' own titles
    expect(nls[key]).toContain(`[${nls['command.openExample']}]`);
    expect(nlsKo[key]).toContain(`[${nlsKo['command.openExample']}]`);
    expect(nlsKo[key]).toContain(`[${nlsKo['command.visualizeLayer']}]`);
  });
});

describe('shipped examples', () => {
  it('are listed once each and ship in the .vsix (media/ is packaged)', () => {
    expect(exampleIds.map((e) => e.id)).toEqual(['textbook-cnn', 'lenet', 'cifar-net', 'textbook-1d', 'textbook-4x4']);
    for (const e of exampleIds) expect(existsSync(`media/examples/${e.file}`), e.file).toBe(true);
    expect(
      readdirSync('media/examples').sort(),
      'every file in media/examples is an example the command offers',
    ).toEqual(exampleIds.map((e) => e.file).sort());
    expect(readFileSync('.vscodeignore', 'utf8').split('\n')).toContain('!media/**');
  });

  const read = (file: string): ModelGraph[] => {
    const r = analyze(readFileSync(`media/examples/${file}`, 'utf8'));
    expect(
      r.diagnostics.filter((d) => d.severity === 'error'),
      file,
    ).toEqual([]);
    return r.models;
  };
  const out = (m: ModelGraph) => m.layers.at(-1)!.outputShape;

  it('the textbook CNN: 333,526 parameters, as Keras counts them; its weights start random', () => {
    const [m] = read('textbook_cnn.py');
    expect(m!.totalParams).toBe(333_526);
    expect(out(m!)?.slice(1)).toEqual([10]);
    expect(m!.weightsFile).toBeFalsy();
  });

  it('LeNet-5 and the CIFAR-10 net: 61,706 and 62,006 parameters, as PyTorch counts them', () => {
    const [lenet] = read('lenet.py');
    expect(lenet!.totalParams).toBe(61_706);
    const [cifar] = read('cifar_net.py');
    expect(cifar!.totalParams).toBe(62_006);
    // 32 → conv 5 → 28 → pool → 14 → conv 5 → 10 → pool → 5; 16·5·5 = 400 into fc1
    expect(cifar!.layers.find((l) => l.name === 'conv2')!.outputShape?.slice(1)).toEqual([16, 10, 10]);
    expect(out(cifar!)?.slice(1)).toEqual([10]);
  });

  it("the chapter's 1-D example: 10 − 3 + 1 = 8 outputs from 3 weights and a bias", () => {
    const [m] = read('textbook_1d.py');
    expect(m!.layers.map((l) => [l.name, l.outputShape?.slice(1), l.params])).toEqual([['conv1d', [8, 1], 4]]);
  });

  it("the chapter's (4, 4) example: (2, 2) without padding, (4, 4) with 'same'; 3·3 + 1 parameters", () => {
    const models = read('textbook_4x4.py');
    expect(models.map((m) => [m.name, out(m)?.slice(1, 3), m.totalParams])).toEqual([
      ['valid', [2, 2], 10],
      ['same', [4, 4], 10],
    ]);
  });
});
