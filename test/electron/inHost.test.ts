/**
 * The e2e scenarios as in-host tests: mocha inside VS Code's extension host, through the same
 * API commands the workbench uses (vscode.executeHoverProvider, vscode.executeInlayHintProvider,
 * vscode.executeCodeActionProvider, vscode.languages.getDiagnostics, the extension's commands).
 * What only the workbench DOM shows (the panel's canvases and text) is checked by test/e2e.
 *
 * One run per mode (CONVLENS_TEST_MODE): 'en' (trusted workspace), 'ko' (--locale ko with a
 * Korean language pack), 'restricted' (workspace trust on, folder not trusted). Run them with
 * `node scripts/test-electron.mjs` (downloads VS Code) or `--host code-server` (offline).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { after, before, describe, it } from './mocha';
import {
  closeExplorerTabs,
  explorerTabs,
  hoverText,
  inlayHints,
  MODE,
  openEditor,
  positionOf,
  waitFor,
  workspaceUri,
} from './util';

const EXTENSION_ID = 'convlens.convlens';

before(async function () {
  this.timeout(60_000);
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  await ext.activate();
});

after(async () => {
  await closeExplorerTabs();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

async function visualizeAt(editor: vscode.TextEditor, pos: vscode.Position): Promise<void> {
  editor.selection = new vscode.Selection(pos, pos);
  await vscode.commands.executeCommand('convlens.visualizeLayer');
  await waitFor('the ConvLens explorer panel', () => explorerTabs().length > 0, 20_000);
}

if (MODE === 'en') {
  describe('ConvLens in the extension host (English, trusted)', () => {
    it('1. Keras CNN: hover with the output shape and 320 parameters; inline shapes', async () => {
      const editor = await openEditor('keras_cnn.py');
      const doc = editor.document;
      const hover = await hoverText(doc.uri, positionOf(doc, 'Conv2D'));
      assert.match(hover, /conv2d · Conv2D/);
      assert.ok(hover.includes('(None, 28, 28, 1) → (None, 28, 28, 32)'), hover);
      assert.ok(hover.includes('Parameters: 3·3·1·32 + 32 = 320'), hover);
      const full = new vscode.Range(0, 0, doc.lineCount, 0);
      const hints = await waitFor('inlay hints', async () => {
        const h = await inlayHints(doc.uri, full);
        return h.length >= 8 ? h : null;
      });
      const convLine = positionOf(doc, 'input_shape=(28, 28, 1)))').line;
      assert.deepEqual(hints.find((h) => h.line === convLine)?.label.trim(), '→ (None, 28, 28, 32) · 320');
      assert.equal(
        hints.find((h) => h.line === positionOf(doc, 'MaxPooling2D').line)?.label.trim(),
        '→ (None, 14, 14, 32)',
      );
    });

    it('2. PyTorch nn.Module: hover on nn.Conv2d shows (N, C, H, W)', async () => {
      const editor = await openEditor('torch_lenet.py');
      const doc = editor.document;
      const hover = await hoverText(doc.uri, positionOf(doc, 'Conv2d', 'self.conv1'));
      assert.ok(hover.includes('conv1 · Conv2d'), hover);
      assert.ok(hover.includes('(N, 1, 32, 32) → (N, 6, 28, 28)'), hover);
    });

    it('3. Shape error: diagnostic, quick fix "Set in_features to 400", undo', async () => {
      const editor = await openEditor('shape_error.py');
      const doc = editor.document;
      const original = doc.getText();
      const fixed = original.replace('nn.Linear(256, 120)', 'nn.Linear(400, 120)');
      const diag = await waitFor('the in-features-mismatch diagnostic', () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .find((d) => d.source === 'ConvLens' && d.code === 'in-features-mismatch'),
      );
      assert.equal(diag.message, "Linear 'fc1': in_features=256 but the input has 400 features");
      assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual(
        [diag.range.start.line, diag.range.start.character],
        [positionOf(doc, '256', 'nn.Linear').line, positionOf(doc, '256', 'nn.Linear').character],
      );
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          diag.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      const fix = actions.find((a) => a.title === 'Set in_features to 400');
      assert.ok(fix?.edit, `no quick fix; got: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.getText(), fixed);
      await waitFor(
        'the diagnostic to clear',
        () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'ConvLens'),
      );
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      await waitFor('the undo', () => doc.getText() === original, 5000);
      assert.equal(doc.getText(), original);
      await waitFor('the diagnostic to come back', () =>
        vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'in-features-mismatch'),
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('4. Visualize Layer at Cursor opens the explorer panel; moving to the pooling line keeps it', async () => {
      const editor = await openEditor('keras_cnn.py');
      await visualizeAt(editor, positionOf(editor.document, 'Conv2D'));
      const tab = explorerTabs()[0]!;
      assert.equal(tab.label, 'ConvLens Explorer');
      const pool = positionOf(editor.document, 'MaxPooling2D');
      editor.selection = new vscode.Selection(pool, pool);
      assert.equal(explorerTabs().length, 1, 'one panel, reused');
    });

    it('8. Choose Input Image: the workspace PNG is offered and taken', async () => {
      const editor = await openEditor('keras_cnn.py');
      await visualizeAt(editor, positionOf(editor.document, 'Conv2D'));
      // Only workspace images are offered for 'workspace'; accept the first (photo.png).
      let settled = false;
      const done = Promise.resolve(vscode.commands.executeCommand('convlens.chooseInput', 'workspace')).finally(
        () => (settled = true),
      );
      await waitFor(
        'the quick pick to be accepted',
        async () => {
          if (settled) return true;
          await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          return settled;
        },
        15_000,
        250,
      );
      await done;
      assert.ok((await vscode.workspace.findFiles('photo.png')).length === 1);
      assert.equal(explorerTabs().length, 1);
    });

    it('7. 5,000-line model file: hovers still appear (time logged)', async function () {
      this.timeout(120_000);
      const t0 = Date.now();
      const doc = await vscode.workspace.openTextDocument(workspaceUri('big_model.py'));
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.lineCount, 5000);
      const hover = await hoverText(
        doc.uri,
        positionOf(doc, 'nn.Conv2d', 'self.conv0'),
        (t) => t.includes('Conv2d'),
        60_000,
      );
      console.log(`      5,000-line file: ${Date.now() - t0} ms from opening to the first hover`);
      assert.ok(hover.includes('(N, 16, 32, 32) → (N, 16, 32, 32)'), hover);
      const last = doc.positionAt(doc.getText().lastIndexOf('keras.layers.Conv2D') + 'keras.layers.'.length + 1);
      const deep = await hoverText(doc.uri, last, (t) => t.includes('Conv2D'));
      assert.ok(deep.includes('(None, 32, 32, 8) → (None, 32, 32, 8)'), deep);
    });
  });
}

if (MODE === 'ko') {
  describe('ConvLens in the extension host (Korean)', () => {
    it('5. vscode.env.language is ko; the hover and the panel title are Korean', async () => {
      assert.equal(vscode.env.language, 'ko');
      const editor = await openEditor('keras_cnn.py');
      const hover = await hoverText(editor.document.uri, positionOf(editor.document, 'Conv2D'));
      assert.ok(hover.includes('출력 크기'), hover);
      assert.ok(hover.includes('파라미터: 3·3·1·32 + 32 = 320'), hover);
      await visualizeAt(editor, positionOf(editor.document, 'Conv2D'));
      assert.equal(explorerTabs()[0]!.label, 'ConvLens 탐색기');
    });
  });
}

if (MODE === 'restricted') {
  describe('ConvLens in the extension host (restricted mode)', () => {
    it('6. The folder is not trusted; hovers and the panel still work', async () => {
      assert.equal(vscode.workspace.isTrusted, false);
      const editor = await openEditor('keras_cnn.py');
      const hover = await hoverText(editor.document.uri, positionOf(editor.document, 'Conv2D'));
      assert.ok(hover.includes('(None, 28, 28, 1) → (None, 28, 28, 32)'), hover);
      await visualizeAt(editor, positionOf(editor.document, 'Conv2D'));
    });
  });
}
