/**
 * The interpreter the Python extension (ms-python.python) uses for a file, read through its API
 * when it is installed (`environments.getActiveEnvironmentPath`, or the older
 * `settings.getExecutionDetails`), else the `python.defaultInterpreterPath` setting. Only a path
 * is read: nothing is run. Changes of the chosen environment are announced (onDidChange).
 */
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The parts of the Python extension's API read here; every one may be missing. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: unknown } | undefined;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: unknown } | undefined;
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

export class PythonInterpreters implements vscode.Disposable {
  private api: PythonExtensionApi | null = null;
  private connecting = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The Python extension's environment for some file changed, or its API became available. */
  readonly onDidChange = this.changed.event;

  constructor() {
    // installed (or enabled) later: connect then
    this.disposables.push(vscode.extensions.onDidChange(() => void this.connect()));
    void this.connect();
  }

  private async connect(): Promise<void> {
    const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!ext || this.api || this.connecting) return;
    this.connecting = true;
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      if (!api || typeof api !== 'object') return;
      this.api = api;
      const fire = () => this.changed.fire();
      for (const event of [
        api.environments?.onDidChangeActiveEnvironmentPath,
        api.settings?.onDidChangeExecutionDetails,
      ])
        if (typeof event === 'function') this.disposables.push(event(fire));
      fire();
    } catch {
      // the Python extension failed to start: python.defaultInterpreterPath stands in for it
    } finally {
      this.connecting = false;
    }
  }

  /** The interpreter (or environment folder) for a file; null when none is known. */
  interpreterFor(uri: vscode.Uri): string | null {
    try {
      const active = this.api?.environments?.getActiveEnvironmentPath?.(uri)?.path;
      if (typeof active === 'string' && active.trim()) return active.trim();
      const exec = this.api?.settings?.getExecutionDetails?.(uri)?.execCommand;
      if (Array.isArray(exec) && typeof exec[0] === 'string' && exec[0].trim()) return exec[0].trim();
    } catch {
      // an API that throws is treated as absent
    }
    const fallback = vscode.workspace.getConfiguration('python', uri).get<unknown>('defaultInterpreterPath');
    return typeof fallback === 'string' && fallback.trim() ? fallback.trim() : null;
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
