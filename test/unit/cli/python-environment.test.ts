/**
 * The CLI finds the project's Python environment and reads library models from it: a temp project
 * with `.venv/lib/python3.11/site-packages/torchvision` (torchvision's published sources, copied
 * from the model-zoo corpus, scripts/setup-corpus.sh) and the file real PyTorch measured
 * (test/fixtures/corpus/truth.json, `import torchvision; model = torchvision.models.resnet18()`):
 * `convlens summary` gives torchvision's resnet18 as PyTorch builds it — 11,689,512 parameters,
 * 9,600 buffer elements, every module's output shape and parameter count. Also `--python` for a
 * file outside the project, and `--site-packages` searched before the discovered environment.
 *
 * Without .corpus these tests are skipped with the setup command printed, except in CI (CI=true),
 * where they fail.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusMissing, loadTruth } from '../../../scripts/corpus-compare';
import { main } from '../../../src/cli/main';

const IS_CI = process.env['CI'] === 'true';
const missing = corpusMissing();
const truth = loadTruth().models.find((m) => m.id === 'torchvision/resnet18')!;

interface JsonLayer {
  name: string;
  type: string;
  outputShape: number[] | null;
  params: number | null;
  buffers: number | null;
  functional: boolean;
}
interface JsonModel {
  name: string;
  totalParams: number | null;
  buffers: number | null;
  layers: JsonLayer[];
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function summary(file: string, ...extra: string[]): Promise<{ models: JsonModel[]; err: string }> {
  const r = await cli('summary', file, '--json', ...extra);
  expect(r.code, r.err).toBe(0);
  return { models: (JSON.parse(r.out) as { models: JsonModel[] }).models, err: r.err };
}

if (missing) {
  if (IS_CI)
    it('model-zoo corpus prerequisites', () => {
      throw new Error(`${missing} (CI=true: the environment discovery tests need torchvision's sources)`);
    });
  else console.warn(`${missing}\nSkipping the CLI's environment discovery tests on torchvision.`);
}

describe.skipIf(!!missing)('convlens summary reads torchvision from the project’s .venv', () => {
  const saved = { VIRTUAL_ENV: process.env['VIRTUAL_ENV'], CONDA_PREFIX: process.env['CONDA_PREFIX'] };
  let tmp = '';
  let project = '';
  let site = '';
  beforeAll(() => {
    // the machine's own activated environment must not take part
    delete process.env['VIRTUAL_ENV'];
    delete process.env['CONDA_PREFIX'];
    tmp = mkdtempSync(join(tmpdir(), 'convlens-venv-'));
    project = join(tmp, 'project');
    site = join(project, '.venv', 'lib', 'python3.11', 'site-packages');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "demo"\n');
    writeFileSync(
      join(project, '.venv', 'pyvenv.cfg'),
      'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.9\n',
    );
    mkdirSync(join(project, '.venv', 'bin'));
    writeFileSync(join(project, '.venv', 'bin', 'python'), '');
    cpSync(join(CORPUS_DIR, 'torchvision'), join(site, 'torchvision'), { recursive: true });
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, 'src', 'net.py'), `${truth.usage}\n`);
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the file real PyTorch measured: 11,689,512 parameters, and every module as PyTorch builds it', async () => {
    expect(truth.usage).toContain('model = torchvision.models.resnet18()');
    expect(truth.totalParams).toBe(11_689_512);
    const { models, err } = await summary(join(project, 'src', 'net.py'));
    expect(err).toBe('');
    expect(models).toHaveLength(1);
    const m = models[0]!;
    expect(m.name).toBe('ResNet');
    expect(m.totalParams).toBe(11_689_512);
    expect(m.buffers).toBe(truth.bufferElements);
    // each module's calls in order (as scripts/corpus-compare.ts matches them): grouped by name
    const byName = <T extends unknown[]>(rows: T[]): T[] =>
      [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const modules = m.layers.filter((l) => !l.functional);
    expect(byName(modules.map((l) => [l.name, l.type, l.outputShape, l.params, l.buffers]))).toEqual(
      byName(truth.layers),
    );
    expect(m.layers.at(-1)!.outputShape).toEqual([1000]);
  });

  it('the text summary says so too', async () => {
    const r = await cli('summary', join(project, 'src', 'net.py'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Total params: 11,689,512');
  });

  it('from torchvision.models import resnet18', async () => {
    const file = join(project, 'from_import.py');
    writeFileSync(
      file,
      'import torch\nfrom torchvision.models import resnet18\nm = resnet18()\ny = m(torch.randn(1, 3, 224, 224))\n',
    );
    const { models } = await summary(file);
    expect(models.map((m) => [m.name, m.totalParams])).toEqual([['ResNet', 11_689_512]]);
  });

  it('--python names the environment of a file outside the project', async () => {
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'pyproject.toml'), '');
    const file = join(elsewhere, 'net.py');
    writeFileSync(file, `${truth.usage}\n`);
    expect((await summary(file)).models).toEqual([]);
    for (const python of [join(project, '.venv', 'bin', 'python'), join(project, '.venv'), site]) {
      const { models } = await summary(file, '--python', python);
      expect(models.map((m) => m.totalParams)).toEqual([11_689_512]);
    }
    const r = await cli('check', file, '--python', join(tmp, 'nowhere', 'bin', 'python'));
    expect(r.err).toContain(
      `convlens check: --python: no site-packages folder found for ${join(tmp, 'nowhere', 'bin', 'python')}`,
    );
  });

  it('--site-packages is searched before the discovered environment', async () => {
    // a stand-in torchvision whose resnet18 is one convolution: 3·3·3·8 + 8 = 224 parameters
    const first = join(tmp, 'first');
    mkdirSync(join(first, 'torchvision', 'models'), { recursive: true });
    writeFileSync(join(first, 'torchvision', '__init__.py'), 'from . import models\n');
    writeFileSync(
      join(first, 'torchvision', 'models', '__init__.py'),
      'import torch.nn as nn\n\n\ndef resnet18():\n    return nn.Sequential(nn.Conv2d(3, 8, 3))\n',
    );
    const { models } = await summary(join(project, 'src', 'net.py'), '--site-packages', first);
    expect(models.map((m) => m.totalParams)).toEqual([224]);
  });
});
