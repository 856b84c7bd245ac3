/**
 * The README is the extension's page in the Marketplace and in Open VSX: its pictures exist, are
 * PNGs of a sensible size (no SVG; images over https only; relative paths resolve through the
 * manifest's repository), its commands and settings tables are the manifest's, and the user's
 * part comes before the developer's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, any>;
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;

/** Markdown images and HTML <img> sources. */
const images = [
  ...[...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
  ...[...readme.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!),
];
const MAX_IMAGE_BYTES = 1024 * 1024;

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The rows of the first Markdown table of a text: cells without surrounding spaces. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

describe('README as the store page', () => {
  it('shows the three pictures: hover, panel, summary', () => {
    expect(images).toEqual(
      expect.arrayContaining([
        'media/screenshots/hover.png',
        'media/screenshots/panel.png',
        'media/screenshots/summary.png',
      ]),
    );
    // the pictures come before the instructions
    expect(readme.indexOf('media/screenshots/summary.png')).toBeLessThan(readme.indexOf('\n## Install\n'));
  });

  it('every image is a PNG in the package, within size limits, or an https URL; none is an SVG', () => {
    expect(images.length).toBeGreaterThan(0);
    for (const src of images) {
      expect(src, src).not.toMatch(/\.svg(\?|#|$)/i);
      if (/^[a-z]+:/i.test(src)) {
        expect(src, src).toMatch(/^https:\/\//);
        continue;
      }
      expect(src, `${src} is relative to the package`).not.toMatch(/^\.\.|^\//);
      expect(existsSync(src), src).toBe(true);
      const png = readFileSync(src);
      expect(png.subarray(0, 8).toString('hex'), `${src} is a PNG`).toBe('89504e470d0a1a0a');
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(w, `${src} width`).toBeGreaterThanOrEqual(300);
      expect(w, `${src} width`).toBeLessThanOrEqual(1600);
      expect(h, `${src} height`).toBeGreaterThanOrEqual(150);
      expect(h, `${src} height`).toBeLessThanOrEqual(1000);
      expect(statSync(src).size, `${src} bytes`).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
    }
  });

  it('links are https or relative (resolved through the repository, an https URL)', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    for (const l of links) if (/^[a-z]+:/i.test(l)) expect(l, l).toMatch(/^https:\/\//);
    expect(readme).not.toMatch(/http:\/\//);
    const relative = links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#'));
    for (const l of relative) expect(existsSync(l.split('#')[0]!), l).toBe(true);
    expect(pkg.repository.url).toMatch(/^https:\/\/github\.com\//);
  });

  it("the Commands table is the manifest's commands, by their English titles", () => {
    const rows = tableRows(section('Commands'));
    const titles = (pkg.contributes.commands as { title: string }[]).map((c) => nls[/^%(.+)%$/.exec(c.title)![1]!]);
    expect(rows.map((r) => r[0])).toEqual(titles);
    for (const r of rows) expect(r[1]!.length, r[0]).toBeGreaterThan(10);
  });

  it("the Settings table is the manifest's settings with their defaults", () => {
    const rows = tableRows(section('Settings'));
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; enum?: string[] }>;
    expect(rows.map((r) => r[0]!.replace(/`/g, '')).sort()).toEqual(Object.keys(props).sort());
    for (const r of rows) {
      const p = props[r[0]!.replace(/`/g, '')]!;
      const def = typeof p.default === 'string' ? p.default : JSON.stringify(p.default);
      expect(r[1], r[0]).toBe(`\`${def}\``);
      for (const v of p.enum ?? []) expect(r[2], `${r[0]} names ${v}`).toContain(`\`${v}\``);
    }
  });

  it('says what stays private, then the command line, then development last', () => {
    const privacy = section('Privacy');
    expect(privacy).toMatch(/Nothing leaves your machine/);
    expect(privacy).toMatch(/never\s+runs Python/);
    const order = [
      '## Install',
      '## Get started',
      '## Commands',
      '## Settings',
      '## Privacy',
      '## The command line',
      '## Development',
      '## License',
    ].map((h) => readme.indexOf(`\n${h}`));
    for (const i of order) expect(i).toBeGreaterThan(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
