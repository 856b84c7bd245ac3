/** `convlens summary FILE` and `convlens check FILE...`. */
import { LineMap } from '../analysis/python/lines';
import { InputError } from '../io/errors';
import { diagnosticMessage } from '../model/diagnostics';
import { flag, has, parseArgs, UsageError } from './args';
import { printable } from '../shared/text';
import { FileError, parseInputShapeFlag, parseLocale } from './files';
import { loadFile, type LoadedFile } from './modelSource';
import { registerCommand, type Io } from './registry';
import { summaryText, toJson } from '../present/summary';

const SUMMARY_HELP = `Usage: convlens summary FILE [--json] [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--model NAME] [--locale en|ko]

Prints a table of every model in a Keras or PyTorch file: each layer's output shape and
parameter count (like Keras's model.summary()), then the diagnostics. FILE may also be a
saved model: .keras, a full-model .h5, or .onnx.

  --json              machine-readable output
  --input-shape DIMS  input size without the batch dimension, in the framework's layout
                      (Keras: 28,28,1; PyTorch: 1,28,28); overrides what the file says
  --site-packages DIR also read imported modules from DIR (repeatable); the file's own
                      folder and its parents are always searched
  --python PATH       the Python environment whose packages to read: its interpreter
                      (.venv/bin/python), its folder, or its site-packages folder. Without it,
                      a .venv, venv, env or .env next to the file or above it (up to the
                      project root), then VIRTUAL_ENV and CONDA_PREFIX; Python is never run
  --model NAME        only the model with this name (Keras name=, class name or variable)
  --locale en|ko      language of messages (default: from LANG)`;

const CHECK_HELP = `Usage: convlens check FILE... [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--locale en|ko]

Prints shape errors and warnings as FILE:LINE:COL: severity: message [code] (for a saved
model — .keras, .h5, .onnx — as FILE: severity: message [code], naming the layer or node).
Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`;

async function summary(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    json: { value: false },
    'input-shape': { value: true },
    'site-packages': { value: true, repeat: true },
    python: { value: true },
    model: { value: true },
    locale: { value: true },
    help: { value: false },
  });
  if (has(args, 'help')) {
    io.out(SUMMARY_HELP);
    return 0;
  }
  if (args.positional.length !== 1)
    throw new UsageError(args.positional.length === 0 ? 'missing FILE' : 'summary takes one FILE');
  const file = args.positional[0]!;
  const locale = parseLocale(flag(args, 'locale'));
  const inputShape = parseInputShapeFlag(flag(args, 'input-shape'));
  let loaded: LoadedFile;
  try {
    loaded = loadFile(file, args, inputShape, (n) => io.err(`convlens summary: ${printable(n, 2000)}`));
  } catch (e) {
    if (e instanceof FileError || e instanceof InputError) {
      io.err(`convlens summary: ${printable(e.message, 2000)}`);
      return 2;
    }
    throw e;
  }
  const { source, result } = loaded;
  const only = flag(args, 'model');
  if (only !== undefined) {
    // the model's name (Keras: its name=), else the variable it is bound to
    const named = result.models.filter((m) => m.name === only);
    const models = named.length ? named : result.models.filter((m) => m.variable === only);
    if (models.length === 0) {
      io.err(
        `convlens summary: no model named '${only}' in ${file} (models: ${result.models.map((m) => printable(m.name)).join(', ') || 'none'})`,
      );
      return 2;
    }
    result.models = models;
  }
  io.out(
    has(args, 'json')
      ? JSON.stringify(toJson(file, source, result, locale), null, 2)
      : summaryText(file, source, result, locale),
  );
  return 0;
}

async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    'input-shape': { value: true },
    'site-packages': { value: true, repeat: true },
    python: { value: true },
    locale: { value: true },
    help: { value: false },
  });
  if (has(args, 'help')) {
    io.out(CHECK_HELP);
    return 0;
  }
  if (args.positional.length === 0) throw new UsageError('missing FILE');
  const locale = parseLocale(flag(args, 'locale'));
  const inputShape = parseInputShapeFlag(flag(args, 'input-shape'));
  let errors = 0;
  let unreadable = false;
  for (const file of args.positional) {
    let loaded: LoadedFile;
    try {
      loaded = loadFile(file, args, inputShape, (n) => io.err(`convlens check: ${printable(n, 2000)}`));
    } catch (e) {
      if (e instanceof FileError || e instanceof InputError) {
        io.err(`convlens check: ${printable(e.message, 2000)}`);
        unreadable = true;
        continue;
      }
      throw e;
    }
    const lines = loaded.source === null ? null : new LineMap(loaded.source);
    for (const d of loaded.result.diagnostics) {
      const p = lines?.position(d.range.from);
      const at = p ? `${file}:${p.line}:${p.column}` : file;
      io.out(`${printable(at, 2000)}: ${d.severity}: ${printable(diagnosticMessage(d, locale), 2000)} [${d.code}]`);
      if (d.severity === 'error') errors++;
    }
  }
  return unreadable ? 2 : errors > 0 ? 1 : 0;
}

registerCommand('summary', 'layer table (output shapes, parameters) of each model in a file', summary);
registerCommand('check', 'report shape errors as FILE:LINE:COL diagnostics', check);
