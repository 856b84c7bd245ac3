/**
 * Layer boundaries: engine/ imports only engine/ and shared/, and shared/ only itself; nothing
 * outside extension/ imports `vscode`; the webview imports from the host only src/shared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
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
  /** The top folder under src/ an import of `file` resolves to ('..' when outside src/). */
  const srcFolder = (file: string, spec: string): string => relative(resolve('src'), resolve(dirname(file), spec)).split(sep)[0]!;

  it('src/engine imports only src/engine and src/shared (no vscode, DOM or Node)', () => {
    for (const f of files('src/engine')) {
      for (const spec of imports(f)) {
        expect(spec.startsWith('.'), `${f} imports '${spec}'`).toBe(true);
        expect(['engine', 'shared'], `${f} imports '${spec}' outside the engine`).toContain(srcFolder(f, spec));
      }
    }
  });

  it('src/shared imports only src/shared', () => {
    for (const f of files('src/shared')) {
      for (const spec of imports(f)) {
        expect(spec.startsWith('.'), `${f} imports '${spec}'`).toBe(true);
        expect(srcFolder(f, spec), `${f} imports '${spec}'`).toBe('shared');
      }
    }
  });

  it("only src/extension imports 'vscode'", () => {
    for (const f of [...files('src'), ...files('webview')]) {
      if (f.startsWith(join('src', 'extension'))) continue;
      expect(imports(f), f).not.toContain('vscode');
    }
  });

  it('the webview imports from the host only src/shared', () => {
    for (const f of files('webview')) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(resolve('.'), resolve(dirname(f), spec));
        expect(target.startsWith(`webview${sep}`) || target.startsWith(`${join('src', 'shared')}${sep}`), `${f} imports '${spec}'`).toBe(true);
      }
    }
  });
});
