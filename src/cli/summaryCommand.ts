/** `convlens summary FILE` and `convlens check FILE...`. */
import { analyze } from '../analysis/analyze';
import { LineMap } from '../analysis/python/lines';
import { diagnosticMessage } from '../model/diagnostics';
import { flag, has, parseArgs, UsageError } from './args';
import { FileError, parseInputShapeFlag, parseLocale, readSource } from './files';
import { commandResolver, searchFlags } from './resolver';
import { registerCommand, type Io } from './registry';
import { summaryText, toJson } from '../present/summary';

const SUMMARY_HELP = `Usage: convlens summary FILE [--json] [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--model NAME] [--locale en|ko]

Prints a table of every model in a Keras or PyTorch file: each layer's output shape and
parameter count (like Keras's model.summary()), then the diagnostics.

  --json              machine-readable output
  --input-shape DIMS  input size without the batch dimension, in the framework's layout
                      (Keras: 28,28,1; PyTorch: 1,28,28); overrides what the file says
  --site-packages DIR also read imported modules from DIR (repeatable); the file's own
                      folder and its parents are always searched
  --python PATH       the Python environment whose packages to read: its interpreter
                      (.venv/bin/python), its folder, or its site-packages folder. Without it,
                      a .venv, venv, env or .env next to the file or above it (up to the
                      project root), then VIRTUAL_ENV and CONDA_PREFIX; Python is never run
  --model NAME        only the model with this name (variable or class name)
  --locale en|ko      language of messages (default: from LANG)`;

const CHECK_HELP = `Usage: convlens check FILE... [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--locale en|ko]

Prints shape errors and warnings as FILE:LINE:COL: severity: message [code].
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
  let source: string;
  try {
    source = readSource(file);
  } catch (e) {
    if (e instanceof FileError) {
      io.err(`convlens summary: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const resolver = commandResolver(file, searchFlags(args), (n) => io.err(`convlens summary: ${n}`));
  const result = analyze(source, { inputShape, resolver });
  const only = flag(args, 'model');
  if (only !== undefined) {
    const models = result.models.filter((m) => m.name === only);
    if (models.length === 0) {
      io.err(
        `convlens summary: no model named '${only}' in ${file} (models: ${result.models.map((m) => m.name).join(', ') || 'none'})`,
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
    let source: string;
    try {
      source = readSource(file);
    } catch (e) {
      if (e instanceof FileError) {
        io.err(`convlens check: ${e.message}`);
        unreadable = true;
        continue;
      }
      throw e;
    }
    const lines = new LineMap(source);
    const resolver = commandResolver(file, searchFlags(args), (n) => io.err(`convlens check: ${n}`));
    for (const d of analyze(source, { inputShape, resolver }).diagnostics) {
      const p = lines.position(d.range.from);
      io.out(`${file}:${p.line}:${p.column}: ${d.severity}: ${diagnosticMessage(d, locale)} [${d.code}]`);
      if (d.severity === 'error') errors++;
    }
  }
  return unreadable ? 2 : errors > 0 ? 1 : 0;
}

registerCommand('summary', 'layer table (output shapes, parameters) of each model in a file', summary);
registerCommand('check', 'report shape errors as FILE:LINE:COL diagnostics', check);
