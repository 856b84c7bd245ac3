/**
 * The editor names its own commands and settings where the command line names flags: the
 * "no input shape" information on a real analysis, and every message with editor wording.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze';
import { DIAG_CODES, diagnosticMessage, forEditor, type Diagnostic } from '../../../src/model/diagnostics';

const nls = (file: string): Record<string, string> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
// the command palette shows "<category>: <title>"; the manifest's category is ConvLens
const TITLE_EN = `ConvLens: ${nls('package.nls.json')['command.setInputShape']}`;
const TITLE_KO = `ConvLens: ${nls('package.nls.ko.json')['command.setInputShape']}`;
const FLAGS = /--(input-shape|python|site-packages|weights)\b/;

const SRC = `import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
    def forward(self, x):
        return self.conv(x)
model = Net()
`;

describe('input-unknown, where it is read', () => {
  const d = analyze(SRC).diagnostics.find((x) => x.code === 'input-unknown')!;

  it('the command line names --input-shape', () => {
    expect(d).toBeDefined();
    expect(diagnosticMessage(d, 'en')).toContain('pass --input-shape');
    expect(diagnosticMessage(d, 'ko')).toContain('--input-shape');
  });

  it('the editor names the Set Input Shape command, in English and Korean', () => {
    const en = diagnosticMessage(forEditor(d), 'en');
    const ko = diagnosticMessage(forEditor(d), 'ko');
    expect(en).toContain(`run '${TITLE_EN}'`);
    expect(ko).toContain(`'${TITLE_KO}'`);
    expect(en).not.toMatch(FLAGS);
    expect(ko).not.toMatch(FLAGS);
    // the rest of the message is the same
    expect(en).toContain("Add a comment '# convlens: input_shape=");
  });
});

describe('no command-line flag in any editor message', () => {
  const args = new Proxy({} as Record<string, string>, { get: (_, k) => (k === 'surface' ? 'editor' : 'x') });
  const whys = [
    'not-read',
    'foreign-class',
    'foreign-function',
    'unknown-function',
    'not-modelled',
    'unknown-argument',
  ];
  for (const code of DIAG_CODES)
    it(code, () => {
      for (const why of whys)
        for (const locale of ['en', 'ko'] as const) {
          const d = { code, args: new Proxy(args, { get: (t, k) => (k === 'why' ? why : t[k as string]) }) };
          let text: string;
          try {
            text = diagnosticMessage(d as unknown as Diagnostic, locale);
          } catch {
            continue; // a `why` this code does not have
          }
          expect(text).not.toMatch(FLAGS);
        }
    });

  it('library-not-found: the editor names the setting, the command line keeps its flags', () => {
    const d: Diagnostic = {
      range: { from: 0, to: 0 },
      severity: 'info',
      code: 'library-not-found',
      args: { name: 'torchvision.models.resnet18', package: 'torchvision' },
    };
    expect(diagnosticMessage(d)).toContain('--python or --site-packages');
    expect(diagnosticMessage(forEditor(d))).toContain('convlens.pythonPath setting');
    expect(diagnosticMessage(forEditor(d), 'ko')).toContain('convlens.pythonPath 설정');
  });
});
