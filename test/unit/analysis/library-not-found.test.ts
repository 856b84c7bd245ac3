/**
 * `library-not-found`: a model built from a package whose source the resolver did not find
 * (torchvision, timm, segmentation_models_pytorch not installed where ConvLens looks) gets an
 * information diagnostic at the call, in English and Korean, naming the package and how to point
 * ConvLens at it. Nothing is said for imports never used to build a model, for names the framework
 * layer reads itself, for packages that were found, for relative imports, or without a resolver.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { pathResolver, type ResolverHost } from '../../../src/analysis/resolver';
import { main } from '../../../src/cli/main';
import { diagnosticMessage } from '../../../src/model/diagnostics';

/** An in-memory file system: the project at /p (a pyproject.toml stops the climb) and site-packages at /site. */
function host(files: Record<string, string>): ResolverHost {
  const all: Record<string, string> = { '/p/pyproject.toml': '', ...files };
  return {
    readFile: (p) => all[p] ?? null,
    exists: (p) => p in all || Object.keys(all).some((f) => f.startsWith(`${p}/`)),
  };
}

function run(source: string, files: Record<string, string> = {}) {
  const result = analyze(source, { resolver: pathResolver('/p/net.py', ['/site'], host(files)) });
  const found = result.diagnostics.filter((d) => d.code === 'library-not-found');
  return { result, found, at: found.map((d) => source.slice(d.range.from, d.range.to)) };
}

describe('library-not-found: models built from a package whose source is missing', () => {
  it('torchvision.models.resnet18(): at the call, naming the package, in English and Korean', () => {
    const src = [
      'import torch',
      'import torchvision',
      'model = torchvision.models.resnet18()',
      'x = torch.randn(1, 3, 224, 224)',
      'y = model(x)',
    ].join('\n');
    const { found, at } = run(src);
    expect(at).toEqual(['torchvision.models.resnet18()']);
    const d = found[0]!;
    expect([d.severity, d.args]).toEqual(['info', { name: 'torchvision.models.resnet18', package: 'torchvision' }]);
    expect(diagnosticMessage(d, 'en')).toBe(
      'torchvision.models.resnet18: ConvLens found no source of the torchvision package, so the model this call builds is not read. Point ConvLens at the Python environment where torchvision is installed: the convlens.pythonPath setting or a .venv in the workspace (command line: --python or --site-packages)',
    );
    expect(diagnosticMessage(d, 'ko')).toBe(
      'torchvision.models.resnet18: torchvision 패키지의 소스를 찾지 못해 이 호출이 만드는 모델을 읽지 않았습니다. torchvision이(가) 설치된 파이썬 환경을 알려 주세요: convlens.pythonPath 설정이나 작업 영역의 .venv (명령줄: --python 또는 --site-packages)',
    );
  });

  it('from torchvision.models import resnet18 as r18; the models module imported by itself; timm.create_model', () => {
    expect(run('from torchvision.models import resnet18 as r18\nm = r18(num_classes=10)\n').at).toEqual([
      'r18(num_classes=10)',
    ]);
    expect(run('from torchvision import models\nm = models.mobilenet_v2()\n').found[0]!.args).toEqual({
      name: 'torchvision.models.mobilenet_v2',
      package: 'torchvision',
    });
    expect(run("import timm\nm = timm.create_model('resnet18', pretrained=False)\n").found[0]!.args).toEqual({
      name: 'timm.create_model',
      package: 'timm',
    });
  });

  it('a class from the package called on a tensor, also as a block of the file’s own module', () => {
    const direct = run(
      [
        'import torch',
        'import segmentation_models_pytorch as smp',
        "net = smp.Unet('resnet34', classes=2)",
        'y = net(torch.randn(1, 3, 256, 256))',
      ].join('\n'),
    );
    expect(direct.at).toEqual(["smp.Unet('resnet34', classes=2)"]);
    expect(direct.found[0]!.args.package).toBe('segmentation_models_pytorch');
    const nested = run(
      [
        'import torch',
        'import torch.nn as nn',
        'from torchvision.models import resnet18',
        'from efficientnet_pytorch import EfficientNet',
        'class Net(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.backbone = resnet18()',
        '        self.other = EfficientNet.from_name("efficientnet-b0")',
        '        self.fc = nn.Linear(1000, 10)',
        '    def forward(self, x):',
        '        return self.fc(self.backbone(x))',
        'model = Net()',
        'y = model(torch.randn(1, 3, 224, 224))',
      ].join('\n'),
    );
    expect(nested.at).toEqual(['resnet18()', 'EfficientNet.from_name("efficientnet-b0")']);
    expect(nested.result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('nothing for imports never used to build a model', () => {
    const src = [
      'import torch',
      'import torchvision.transforms as T',
      'from PIL import Image',
      'from tqdm import tqdm',
      'import segmentation_models_pytorch as smp',
      't = T.Compose([T.Resize(224), T.ToTensor()])',
      "img = t(Image.open('cat.png'))",
      'for i in tqdm(range(3)):',
      '    pass',
      'net = smp.Unet()  # built, never used on a tensor',
      'x = torch.randn(1, 3, 224, 224)',
      'z = torch.relu(x)',
    ].join('\n');
    expect(run(src).found).toEqual([]);
  });

  it('nothing for names the framework layer reads itself (torch, keras, numpy are never looked up)', () => {
    const src = [
      'import torch',
      'import numpy as np',
      'from tensorflow import keras',
      'base = keras.applications.ResNet50(weights=None)',
      "hub = torch.hub.load('pytorch/vision', 'resnet18')",
      'a = np.zeros((3, 3))',
    ].join('\n');
    expect(run(src).found).toEqual([]);
  });

  it('nothing when the package is found, even if it lacks the name', () => {
    const stub = {
      '/site/torchvision/__init__.py': 'from . import models\n',
      '/site/torchvision/models/__init__.py':
        'import torch.nn as nn\n\ndef resnet18():\n    return nn.Sequential(nn.Conv2d(3, 8, 3))\n',
    };
    const ok = run(
      'import torch\nimport torchvision\nm = torchvision.models.resnet18()\ny = m(torch.randn(1, 3, 8, 8))\n',
      stub,
    );
    expect(ok.found).toEqual([]);
    expect(ok.result.models.map((m) => m.totalParams)).toEqual([224]);
    expect(run('import torchvision\nm = torchvision.models.vgg11()\n', stub).found).toEqual([]);
  });

  it('nothing for relative imports, nor without a resolver', () => {
    expect(
      run('from .backbones import resnet18\nfrom .models import make\nm = resnet18()\nk = make()\n').found,
    ).toEqual([]);
    const src = 'import torchvision\nm = torchvision.models.resnet18()\n';
    expect(analyze(src).diagnostics.filter((d) => d.code === 'library-not-found')).toEqual([]);
  });
});

describe('convlens check names the package', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'convlens-missing-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('FILE:LINE:COL: info: … [library-not-found], in English and Korean', async () => {
    mkdirSync(join(tmp, 'p'));
    writeFileSync(join(tmp, 'p', 'pyproject.toml'), '');
    const file = join(tmp, 'p', 'net.py');
    writeFileSync(file, 'import torchvision\n\nmodel = torchvision.models.resnet18()\n');
    for (const [locale, words] of [
      ['en', 'ConvLens found no source of the torchvision package'],
      ['ko', 'torchvision 패키지의 소스를 찾지 못해'],
    ] as const) {
      const out: string[] = [];
      const code = await main(['check', file, '--locale', locale], { out: (s) => out.push(s), err: () => {} });
      expect(code).toBe(0);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:9: info: `));
      expect(out[0]).toContain(words);
      expect(out[0]).toMatch(/\[library-not-found\]$/);
    }
  });
});
