/** The status bar's cut of a long message, and the name proposed for an exported PNG. */
import { describe, expect, it } from 'vitest';
import { featureMapFileName } from '../../../src/present/exportName';
import { clipText } from '../../../src/present/notation';

describe('clipText', () => {
  const msg = "Conv2d 'conv2': expected 6 input channels but the input has 3 (in_channels=6 on (N, 3, 28, 28))";

  it('cuts at a word boundary with an ellipsis, within the limit', () => {
    const cut = clipText(msg, 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut.endsWith('…')).toBe(true);
    const body = cut.slice(0, -1);
    // what is kept is a prefix of the message ending at the end of a word
    expect(msg.startsWith(body)).toBe(true);
    expect(msg[body.length]).toBe(' ');
    expect(body).toBe("Conv2d 'conv2': expected 6 input channels but the input has");
  });

  it('a message that fits is whole; a single long word is cut inside it', () => {
    expect(clipText('shape error', 60)).toBe('shape error');
    expect(clipText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('Korean text is cut at a space too', () => {
    const ko = 'Conv2d 입력 채널 수가 맞지 않습니다: 6개를 기대했지만 입력은 3개입니다';
    const cut = clipText(ko, 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(ko[cut.length - 1]).toBe(' ');
  });
});

describe('featureMapFileName', () => {
  it('<model>-<layer>.png, keeping dotted PyTorch paths', () => {
    expect(featureMapFileName('LeNet', 'conv1')).toBe('LeNet-conv1.png');
    expect(featureMapFileName('ResNet', 'layer1.0.conv1')).toBe('ResNet-layer1.0.conv1.png');
  });

  it('no path separators or odd characters; the layer alone without a model', () => {
    expect(featureMapFileName('my model/v2', 'F.relu#1')).toBe('my_model_v2-F.relu_1.png');
    expect(featureMapFileName(null, 'conv2d')).toBe('conv2d.png');
    expect(featureMapFileName('..', '../x')).not.toMatch(/[/\\]|^\./);
  });
});
