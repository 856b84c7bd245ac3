/**
 * Open VSX readiness: what `ovsx publish` checks before it uploads (ovsx 1.1: publisher, name and
 * version present; a licence, by the manifest's `license` or a LICENSE file) and what the Open VSX
 * server checks on upload (its ExtensionValidator: names of letters, digits and `-+$~`, a semantic
 * version that is not reserved, field lengths, no control or format characters, URLs that are
 * absolute), plus what both stores show: a PNG icon and the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, any>;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;

/** A manifest string as the stores see it: `%key%` replaced by its English text. */
const text = (s: string): string => s.replace(/^%([\w.-]+)%$/, (_, k: string) => nls[k] ?? s);
const BAD_CHARS = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Zl}\p{Zp}]/u;
const NAME = /^[\w\-+$~]+$/;
// semver.org 2.0.0
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function absoluteUrl(u: string): boolean {
  try {
    const url = new URL(u.replace(/^git\+/, ''));
    return /^https?:$/.test(url.protocol) ? url.host !== '' : true;
  } catch {
    return false;
  }
}

describe('Open VSX', () => {
  it('ovsx: publisher, name and version are set, and the package has a licence', () => {
    for (const f of ['publisher', 'name', 'version']) expect(pkg[f], f).toBeTruthy();
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License|Permission is hereby granted/m);
    expect(readFileSync('.vscodeignore', 'utf8').split('\n')).toContain('!LICENSE');
  });

  it('the namespace and the name are what the registry accepts', () => {
    for (const n of [pkg.publisher, pkg.name]) {
      expect(n).toMatch(NAME);
      expect(n.length).toBeLessThanOrEqual(255);
    }
    // the extension id the walkthrough and VS Code use: publisher.name, both lower case
    expect(`${pkg.publisher}.${pkg.name}`).toMatch(/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/);
  });

  it('the version is a semantic version, not a reserved word', () => {
    expect(pkg.version).toMatch(SEMVER);
    expect(['latest', 'pre-release', 'reviews']).not.toContain(pkg.version);
  });

  it('texts fit the fields and hold no control or format characters', () => {
    const fields: [string, string, number][] = [
      ['displayName', text(pkg.displayName), 255],
      ['description', text(pkg.description), 2048],
      ['license', pkg.license, 255],
      ...(pkg.categories as string[]).map((c): [string, string, number] => ['categories', c, 255]),
      ...(pkg.keywords as string[]).map((k): [string, string, number] => ['keywords', k, 255]),
    ];
    for (const [field, value, limit] of fields) {
      expect(value.length, field).toBeLessThanOrEqual(limit);
      expect(BAD_CHARS.test(value), `${field}: ${value}`).toBe(false);
    }
    // the Marketplace takes at most 30 keywords (vsce refuses more)
    expect(pkg.keywords.length).toBeLessThanOrEqual(30);
  });

  it('repository, homepage and bugs are absolute URLs; markdown, galleryBanner and qna are valid when set', () => {
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    expect(repo, 'repository (relative README links resolve through it)').toBeTruthy();
    expect(absoluteUrl(repo)).toBe(true);
    expect(repo).toMatch(/^(git\+)?https:\/\//);
    for (const f of ['homepage', 'bugs']) {
      const u = typeof pkg[f] === 'object' ? pkg[f]?.url : pkg[f];
      if (u) expect(absoluteUrl(u), f).toBe(true);
    }
    if (pkg.markdown) expect(['github', 'standard']).toContain(pkg.markdown);
    if (pkg.galleryBanner?.theme) expect(['dark', 'light']).toContain(pkg.galleryBanner.theme);
    if (pkg.galleryBanner?.color) expect(pkg.galleryBanner.color.length).toBeLessThanOrEqual(16);
    if (pkg.qna !== undefined)
      expect(pkg.qna === 'marketplace' || pkg.qna === false || absoluteUrl(pkg.qna)).toBe(true);
  });

  it('the icon is a PNG in the package (SVG icons are refused), and the README ships', () => {
    expect(pkg.icon).toMatch(/\.png$/);
    const icon = readFileSync(pkg.icon);
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(128);
    expect(existsSync('README.md')).toBe(true);
    expect(readFileSync('.vscodeignore', 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['!README.md', '!media/**']),
    );
  });
});
