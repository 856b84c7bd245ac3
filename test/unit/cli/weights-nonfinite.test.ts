/**
 * Weights holding NaN or infinite values are loaded as they are, and `forward` says so: one
 * warning per tensor naming it and the counts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { nonFiniteWarnings } from '../../../src/io/weightCheck';
import { loadWeights } from '../../../src/io/weights';

function safetensors(tensors: Record<string, { shape: number[]; data: number[] }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.data.length] };
    offset += 4 * t.data.length;
  }
  let json = JSON.stringify(header);
  while (json.length % 8) json += ' ';
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  const data = new Float32Array(Object.values(tensors).flatMap((t) => t.data));
  out.set(new Uint8Array(data.buffer), 8 + json.length);
  return out;
}

const WEIGHTS = safetensors({
  '0.weight': { shape: [1, 1, 3, 3], data: [1, Number.NaN, 0, 0, Number.NaN, 0, 0, 0, 1] },
  '0.bias': { shape: [1], data: [Number.POSITIVE_INFINITY] },
});

describe('NaN and infinite weights', () => {
  it('nonFiniteWarnings names each tensor with its counts; values are kept', () => {
    const w = loadWeights(WEIGHTS, 'bad.safetensors');
    expect(Number.isNaN(w.tensors[0]!.data[1])).toBe(true);
    expect(nonFiniteWarnings('bad.safetensors', w.tensors)).toEqual([
      "bad.safetensors: tensor '0.weight' has 2 NaN values of 9 (kept as they are)",
      "bad.safetensors: tensor '0.bias' has 1 infinite value of 1 (kept as they are)",
    ]);
  });

  it('forward prints the warnings and runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-nan-'));
    const file = join(dir, 'm.py');
    writeFileSync(
      file,
      'import torch\nimport torch.nn as nn\nm = nn.Sequential(nn.Conv2d(1, 1, 3))\nm(torch.zeros(1, 1, 28, 28))\n',
    );
    writeFileSync(join(dir, 'w.safetensors'), WEIGHTS);
    const err: string[] = [];
    const code = await main(
      [
        'forward',
        file,
        '--input',
        'media/samples/digit-3.png',
        '--weights',
        join(dir, 'w.safetensors'),
        '--out',
        join(dir, 'o'),
      ],
      { out: () => {}, err: (s) => err.push(s) },
    );
    expect(code, err.join('\n')).toBe(0);
    expect(err).toContain(
      "convlens forward: warning: w.safetensors: tensor '0.weight' has 2 NaN values of 9 (kept as they are)",
    );
    expect(err).toContain(
      "convlens forward: warning: w.safetensors: tensor '0.bias' has 1 infinite value of 1 (kept as they are)",
    );
  });
});
