/**
 * Committed fixtures are what their generators wrote: test/fixtures/MANIFEST.json records, per
 * generator (scripts/gen-*), the sha256 of its source, its command and package versions, and the
 * sha256 of every file the run wrote (scripts/fixtures-manifest.ts record). Here the hashes are
 * recomputed from the checkout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generators, problems, readManifest, ROOT, type Manifest } from '../../../scripts/fixtures-manifest';

const manifest = readManifest();

describe('fixture manifest', () => {
  it('every recorded fixture is byte for byte what its generator wrote, and no generator changed since', () => {
    expect(problems(manifest)).toEqual([]);
  });

  it('every generator is recorded, or listed with the reason it is not', () => {
    const listed = [...Object.keys(manifest.generators), ...Object.keys(manifest.unrecorded)].sort();
    expect(listed).toEqual(generators());
    for (const [g, why] of Object.entries(manifest.unrecorded)) {
      expect(why.length, g).toBeGreaterThan(10);
      console.warn(`[fixture manifest] ${g} is not recorded: ${why}`);
    }
    // the manifest covers the bulk of the generators, and each entry wrote something
    expect(Object.keys(manifest.generators).length).toBeGreaterThanOrEqual(8);
    for (const e of Object.values(manifest.generators))
      for (const r of e.runs) expect(Object.keys(r.outputs).length).toBeGreaterThan(0);
  });

  it('each entry names how it was run: interpreter and package versions', () => {
    for (const [g, e] of Object.entries(manifest.generators)) {
      expect(e.runs.length, g).toBeGreaterThan(0);
      for (const r of e.runs) {
        expect(r.command.join(' '), g).toContain(g);
        expect(r.versions['python'] ?? r.versions['node'], g).toMatch(/^\d+\.\d+/);
        expect(r.recorded, g).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
    }
  });

  it('the check notices a fixture edited by hand, a generator changed, and a generator left out', () => {
    const [g, e] = Object.entries(manifest.generators)[0]!;
    const run = e.runs[0]!;
    const [file, hash] = Object.entries(run.outputs)[0]!;
    // a fixture whose bytes differ from the recorded ones (as after a hand edit)
    const editedRun = { ...run, outputs: { ...run.outputs, [file]: flip(hash) } };
    const edited: Manifest = {
      ...manifest,
      generators: { ...manifest.generators, [g]: { ...e, runs: [editedRun, ...e.runs.slice(1)] } },
    };
    expect(problems(edited)).toEqual([expect.stringContaining(`${file} is not what ${g} wrote`)]);
    // the generator's source no longer the one that wrote the fixtures
    const changed: Manifest = {
      ...manifest,
      generators: { ...manifest.generators, [g]: { ...e, sha256: flip(e.sha256) } },
    };
    expect(problems(changed)).toEqual([expect.stringContaining(`${g} changed since it wrote its fixtures`)]);
    // a generator with neither an entry nor a reason
    const { [g]: _, ...rest } = manifest.generators;
    expect(problems({ ...manifest, generators: rest })).toEqual([expect.stringContaining(`${g} has no entry`)]);
    // and the recorded hash is the file's sha256 (not some other digest)
    expect(
      createHash('sha256')
        .update(readFileSync(join(ROOT, file)))
        .digest('hex'),
    ).toBe(hash);
  });
});

function flip(hex: string): string {
  return (hex[0] === '0' ? '1' : '0') + hex.slice(1);
}
