/**
 * What differs between the extension hosts ConvLens runs in, behind one interface: the Node
 * extension host of desktop VS Code and remotes (node.ts, chosen by src/extension/node.ts)
 * and the web worker extension host of vscode.dev, github.dev and other browser-hosted VS Code
 * (web.ts, chosen by src/extension/web.ts). Everything else reads files through
 * vscode.workspace.fs and is the same in both.
 */
import type { EnvironmentHost } from '../analysis/environments';
import type { ResolverHost } from '../analysis/resolver';
import type { WorkerFactory } from '../worker/port';

/** Synchronous reads of small files: Python modules an analysis imports, environments' folders. */
export type SourceFileSystem = ResolverHost & EnvironmentHost;

/** The worker script: its file path under Node, its URL in a browser, and its bytes (vscode.workspace.fs). */
export interface ScriptLocation {
  readonly fsPath: string;
  readonly url: string;
  read(): Promise<Uint8Array>;
}

export interface Platform {
  readonly kind: 'node' | 'web';
  /**
   * The disk, read synchronously while an analysis follows imports; null where the extension
   * host has none (a browser): imports of the user's own modules and packages are not followed.
   */
  readonly files: SourceFileSystem | null;
  /** Environment variables (VIRTUAL_ENV, CONDA_PREFIX, HOME for `~`); none in a browser. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The engine worker bundle, relative to the extension's folder. */
  readonly workerScript: readonly string[];
  /** Starts engine workers running `script` (the bundle at workerScript), with a heap limit where one can be set. */
  engineWorker(script: ScriptLocation, maxHeapMb: number): WorkerFactory;
}
