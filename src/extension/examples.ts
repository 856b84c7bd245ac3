/**
 * The example models that ship in the package (media/examples/) and "ConvLens: Open Example":
 * an example opens as a read-only document of the `convlens-example:` file system (served from
 * the extension's own files; the analysis, hovers, inline shapes and the panel work on it as on
 * any Python file) or as a new untitled Python file the user can edit and save.
 */
import * as vscode from 'vscode';

export const EXAMPLE_SCHEME = 'convlens-example';

export interface Example {
  /** The id the walkthrough and other callers pass to convlens.openExample. */
  id: string;
  file: string;
  label: () => string;
  detail: () => string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'textbook-cnn',
    file: 'textbook_cnn.py',
    label: () => vscode.l10n.t('Textbook CNN (Keras)'),
    detail: () =>
      vscode.l10n.t("Two Conv2D + MaxPooling2D blocks with 'same' padding, then Dense layers; 28×28 digits"),
  },
  {
    id: 'lenet',
    file: 'lenet.py',
    label: () => vscode.l10n.t('LeNet-5 (PyTorch)'),
    detail: () => vscode.l10n.t('Channels first (N, C, H, W): 32×32 → 6 × 28×28 → … → 10 classes'),
  },
  {
    id: 'cifar-net',
    file: 'cifar_net.py',
    label: () => vscode.l10n.t('CIFAR-10 classifier (PyTorch)'),
    detail: () => vscode.l10n.t("PyTorch tutorial's network for 32×32 colour images"),
  },
  {
    id: 'textbook-1d',
    file: 'textbook_1d.py',
    label: () => vscode.l10n.t('1-D convolution: 10 numbers → 8 (Keras)'),
    detail: () => vscode.l10n.t("The chapter's first stamp: 3 weights slide down 10 inputs"),
  },
  {
    id: 'textbook-4x4',
    file: 'textbook_4x4.py',
    label: () => vscode.l10n.t("(4, 4) input, (3, 3) kernel: 'valid' and 'same' (Keras)"),
    detail: () => vscode.l10n.t("(4, 4) → (2, 2) without padding, (4, 4) with 'same'"),
  },
];

/** The file of a `convlens-example:` URI's path, when it is one of the examples. */
export function exampleOfPath(path: string): Example | undefined {
  const name = path.replace(/^\/+/, '');
  return EXAMPLES.find((e) => e.file === name);
}

/** The examples as a read-only file system: one flat folder, the shipped files only. */
export class ExampleFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  private source(uri: vscode.Uri): vscode.Uri {
    const ex = exampleOfPath(uri.path);
    if (!ex) throw vscode.FileSystemError.FileNotFound(uri);
    return vscode.Uri.joinPath(this.extensionUri, 'media', 'examples', ex.file);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/' || uri.path === '') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const st = await vscode.workspace.fs.stat(this.source(uri));
    return { ...st, type: vscode.FileType.File, permissions: vscode.FilePermission.Readonly };
  }

  readDirectory(): [string, vscode.FileType][] {
    return EXAMPLES.map((e) => [e.file, vscode.FileType.File]);
  }

  readFile(uri: vscode.Uri): Thenable<Uint8Array> {
    return vscode.workspace.fs.readFile(this.source(uri));
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Opens an example. `id` and `mode` come from the walkthrough or the welcome buttons; without
 * them the user picks the example, then how to open it (read-only or as an untitled copy).
 */
export async function openExample(extensionUri: vscode.Uri, id?: unknown, mode?: unknown): Promise<void> {
  let example = typeof id === 'string' ? EXAMPLES.find((e) => e.id === id) : undefined;
  let how: 'readonly' | 'untitled' = mode === 'untitled' ? 'untitled' : 'readonly';
  if (!example) {
    // one pick: each example read-only, then each as a new untitled file
    type Item = vscode.QuickPickItem & { example?: Example; how?: 'readonly' | 'untitled' };
    const section = (label: string, h: 'readonly' | 'untitled', icon: string): Item[] => [
      { label, kind: vscode.QuickPickItemKind.Separator },
      ...EXAMPLES.map((e) => ({
        label: `$(${icon}) ${e.label()}`,
        detail: e.detail(),
        description: e.file,
        example: e,
        how: h,
      })),
    ];
    const picked = await vscode.window.showQuickPick<Item>(
      [
        ...section(vscode.l10n.t('Read-only, as it ships'), 'readonly', 'lock'),
        ...section(vscode.l10n.t('As a new untitled file, to edit and save'), 'untitled', 'new-file'),
      ],
      // a walkthrough page takes the focus back a moment after the palette closes: the pick stays open
      { placeHolder: vscode.l10n.t('Which example?'), matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!picked?.example || !picked.how) return;
    example = picked.example;
    how = picked.how;
  }
  const doc =
    how === 'readonly'
      ? await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: EXAMPLE_SCHEME, path: `/${example.file}` }))
      : await vscode.workspace.openTextDocument({
          language: 'python',
          content: new TextDecoder().decode(
            await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'media', 'examples', example.file)),
          ),
        });
  const shown = await vscode.window.showTextDocument(
    doc.languageId === 'python' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'python'),
    { preview: false },
  );
  walkthroughStepDone(WALKTHROUGH_CONTEXT.exampleOpened);
  // the cursor on the first convolution, so "Visualize Layer at Cursor" has a layer to show
  const at = /\b(?:Conv[12]D|nn\.Conv[12]d)\(/.exec(doc.getText());
  if (at) {
    const pos = doc.positionAt(at.index);
    shown.selection = new vscode.Selection(pos, pos);
    shown.revealRange(new vscode.Range(pos, pos));
  }
}

/** The walkthrough's id as `workbench.action.openWalkthrough` names it: publisher.name#id. */
export const WALKTHROUGH_ID = 'convlens.convlens#convlens.gettingStarted';

/**
 * Context keys the walkthrough's steps complete on (`onContext:…` in package.json): set once
 * the user has done the step, for the rest of the window's life.
 */
export const WALKTHROUGH_CONTEXT = {
  exampleOpened: 'convlens.walkthrough.exampleOpened',
  hovered: 'convlens.walkthrough.hovered',
  drawn: 'convlens.walkthrough.drawn',
  weightsLoaded: 'convlens.walkthrough.weightsLoaded',
} as const;

const done = new Set<string>();

export function walkthroughStepDone(key: (typeof WALKTHROUGH_CONTEXT)[keyof typeof WALKTHROUGH_CONTEXT]): void {
  if (done.has(key)) return;
  done.add(key);
  void vscode.commands.executeCommand('setContext', key, true);
}

/** The trained weights of the textbook CNN that ship in the package. */
export function shippedWeights(extensionUri: vscode.Uri, id: unknown): vscode.Uri | undefined {
  return id === 'textbook-cnn'
    ? vscode.Uri.joinPath(extensionUri, 'media', 'models', 'textbook-cnn.weights.h5')
    : undefined;
}
