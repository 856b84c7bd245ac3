/**
 * Layer boundaries (DESIGN.md): engine/ imports only engine/; nothing outside extension/ imports
 * `vscode`; the webview imports only protocol.ts from the host.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g), ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

describe('layer boundaries', () => {
  it('src/engine imports nothing outside src/engine (no vscode, DOM or Node)', () => {
    for (const f of files('src/engine')) {
      for (const spec of imports(f)) {
        expect(spec.startsWith('.'), `${f} imports '${spec}'`).toBe(true);
        const target = relative(resolve('src/engine'), resolve(dirname(f), spec));
        expect(target.startsWith('..'), `${f} imports '${spec}' outside the engine`).toBe(false);
      }
    }
  });

  it("only src/extension imports 'vscode'", () => {
    for (const f of [...files('src'), ...files('webview')]) {
      if (f.startsWith(join('src', 'extension'))) continue;
      expect(imports(f), f).not.toContain('vscode');
    }
  });

  it('the webview imports only protocol.ts from the host', () => {
    for (const f of files('webview')) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(resolve('.'), resolve(dirname(f), spec));
        expect(target.startsWith('webview') || target === join('src', 'protocol'), `${f} imports '${spec}'`).toBe(true);
      }
    }
  });
});
