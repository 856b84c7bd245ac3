/**
 * Analyzer speed: a generated 5,000-line PyTorch + Keras file with 500 layers, analyzed from
 * scratch, and again after a one-line edit (what happens on every keystroke in the editor).
 * Goals (issue 3): under 30 ms median for the whole file, under 10 ms after a one-line edit.
 *
 * Usage: tsx scripts/bench-analysis.ts [--quick]
 */
import { analyze } from '../src/analysis/analyze';
import { AnalysisCache } from '../src/analysis/cache';

export function generateLargeModelFile(layers = 500, lines = 5000): string {
  const out: string[] = [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from tensorflow import keras',
    '',
  ];
  const blocks = layers / 2 / 10;
  for (let b = 0; b < blocks; b++) {
    out.push(`class Block${b}(nn.Module):`, '    def __init__(self, c=16):', '        super().__init__()');
    for (let i = 0; i < 5; i++)
      out.push(`        self.conv${i} = nn.Conv2d(c, c, 3, padding=1)`, `        self.bn${i} = nn.BatchNorm2d(c)`);
    out.push('    def forward(self, x):');
    for (let i = 0; i < 5; i++) out.push(`        x = F.relu(self.bn${i}(self.conv${i}(x)))`);
    out.push('        return x', '');
  }
  out.push(
    'class Big(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.stem = nn.Conv2d(3, 16, 3, padding=1)',
  );
  for (let b = 0; b < blocks; b++) out.push(`        self.block${b} = Block${b}()`);
  out.push('    def forward(self, x):', '        x = self.stem(x)');
  for (let b = 0; b < blocks; b++) out.push(`        x = self.block${b}(x)`);
  out.push('        return x', '', 'model = Big()', 'y = model(torch.randn(1, 3, 32, 32))', '');
  out.push('kmodel = keras.Sequential()', 'kmodel.add(keras.Input(shape=(32, 32, 3)))');
  for (let i = 0; i < layers / 2; i++)
    out.push(`kmodel.add(keras.layers.Conv2D(8, 3, padding="same", activation="relu"))`);
  out.push('');
  // The rest is the code that lives beside models in real projects: data loading, training
  // and evaluation helpers (typical line lengths, defined but not called).
  let k = 0;
  while (out.length < lines) {
    out.push(
      `def train_epoch_${k}(model, loader, optimizer, device="cpu"):`,
      '    """One epoch of training; returns the mean loss."""',
      '    model.train()',
      '    total, count = 0.0, 0',
      '    for images, labels in loader:',
      '        images = images.to(device)',
      '        labels = labels.to(device)',
      '        optimizer.zero_grad()',
      '        logits = model(images)',
      '        loss = F.cross_entropy(logits, labels)',
      '        loss.backward()',
      '        optimizer.step()',
      '        total += loss.item() * images.size(0)',
      '        count += images.size(0)',
      '    return total / max(count, 1)',
      '',
    );
    k++;
  }
  return out.slice(0, lines).join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return out;
}

if (process.argv[1]?.endsWith('bench-analysis.ts')) {
  const quick = process.argv.includes('--quick');
  const runs = quick ? 10 : 40;
  const src = generateLargeModelFile();
  const r = analyze(src);
  const layerCount = r.models.reduce((a, m) => a + m.layers.filter((l) => !l.spec.functional).length, 0);
  console.log(
    `generated file: ${src.split('\n').length} lines, ${r.models.length} models, ${layerCount} layer calls (${r.diagnostics.filter((d) => d.severity === 'error').length} errors)`,
  );
  for (let i = 0; i < 5; i++) analyze(src);
  const full = time(() => analyze(src), runs);
  // one-line edit: change a filter count in the middle of the Keras model, as a user would
  const lines = src.split('\n');
  const editLine = lines.findIndex((l) => l.includes('keras.layers.Conv2D(8, 3')) + 100;
  const cache = new AnalysisCache();
  cache.analyze('doc', 1, src);
  let version = 1;
  const edited = time(() => {
    version++;
    const copy = [...lines];
    copy[editLine] = copy[editLine]!.replace('Conv2D(8,', `Conv2D(${8 + (version % 7)},`);
    cache.analyze('doc', version, copy.join('\n'));
  }, runs);
  const fullMs = median(full);
  const editMs = median(edited);
  console.log('');
  console.log('analysis                          median ms   goal    ');
  console.log(
    `whole file (5,000 lines, 500 layers) ${fullMs.toFixed(1).padStart(8)}   < 30 ms ${fullMs < 30 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `after a one-line edit               ${editMs.toFixed(1).padStart(8)}   < 10 ms ${editMs < 10 ? 'met' : 'NOT met'}`,
  );
}
