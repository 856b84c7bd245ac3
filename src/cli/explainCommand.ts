/** `convlens explain FILE --line N`: what the editor's hover shows for the layer on a line. */
import { LineMap } from '../analysis/python/lines';
import { InputError } from '../io/errors';
import { isModelFileName } from '../modelfile';
import { factsText, hitRange, hoverFacts, layerOnLine } from '../present/explain';
import { strings } from '../present/strings';
import { flag, has, HELP_FLAG, parseArgs, UsageError } from './args';
import { printable } from '../shared/text';
import { FileError, parseInputShapeFlag, parseLocale } from './files';
import { loadFile, STDIN, type LoadedFile } from './modelSource';
import { registerCommand, type Io } from './registry';

const EXPLAIN_HELP = `Usage: convlens explain FILE --line N [--col C] [--json] [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--locale en|ko]

Prints what the editor's hover shows for the layer on line N of a Keras or PyTorch file: its
shape in → out, the output-size arithmetic with the file's own numbers, its arguments explained
(filters, kernel, padding, stride, pooling, …), parameters, FLOPs, receptive field, and the
diagnostics on that line. On a line with several layers (x = self.pool(F.relu(self.conv1(x))))
it explains the leftmost, the outermost call; --col picks another.

  --line N            the line (1-based)
  --col C             the column (1-based) of the layer on the line
  --json              the same facts, machine-readable, with a schemaVersion
  --input-shape DIMS  input size without the batch dimension, in the framework's layout
                      (Keras: 28,28,1; PyTorch: 1,28,28); overrides what the file says
  --site-packages DIR also read imported modules from DIR (repeatable)
  --python PATH       the Python environment whose packages to read (interpreter, folder or
                      site-packages); Python is never run
  --locale en|ko      language of the explanation (default: from LANG)
  -h, --help          this help

FILE may be - (source from standard input); notebooks are read by summary and check.

Exit status: 0 explained, 1 no layer on that line, 2 usage error or unreadable file.`;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 1e9)
    throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return Number(v);
}

async function explain(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    line: { value: true },
    col: { value: true },
    json: { value: false },
    'input-shape': { value: true },
    'site-packages': { value: true, repeat: true },
    python: { value: true },
    locale: { value: true },
    help: HELP_FLAG,
  });
  if (has(args, 'help')) {
    io.out(EXPLAIN_HELP);
    return 0;
  }
  if (args.positional.length !== 1)
    throw new UsageError(args.positional.length === 0 ? 'missing FILE' : 'explain takes one FILE');
  const file = args.positional[0]!;
  const line = positiveInt('line', flag(args, 'line'));
  if (line === undefined) throw new UsageError('missing --line N');
  const column = positiveInt('col', flag(args, 'col'));
  const locale = parseLocale(flag(args, 'locale'));
  const inputShape = parseInputShapeFlag(flag(args, 'input-shape'));
  if (/\.ipynb$/i.test(file)) {
    io.err(`convlens explain: ${file} is a notebook; try 'convlens summary ${file}' or 'convlens check ${file}'`);
    return 2;
  }
  if (isModelFileName(file)) {
    io.err(`convlens explain: ${file} is a model file, which has no lines; try 'convlens summary ${file}'`);
    return 2;
  }
  let loaded: LoadedFile;
  try {
    loaded = loadFile(file, args, inputShape, (n) => io.err(`convlens explain: ${printable(n, 2000)}`), io);
  } catch (e) {
    if (e instanceof FileError || e instanceof InputError) {
      io.err(`convlens explain: ${printable(e.message, 2000)}`);
      return 2;
    }
    throw e;
  }
  const source = loaded.source ?? '';
  const shown = file === STDIN ? '<stdin>' : file;
  const lineCount = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  if (line > Math.max(lineCount, 1)) {
    io.err(`convlens explain: ${shown} has ${lineCount} line${lineCount === 1 ? '' : 's'}, not ${line}`);
    return 2;
  }
  const found = layerOnLine(loaded.result, source, line, column);
  if (!found) {
    io.err(`convlens explain: ${shown}:${line}${column ? `:${column}` : ''}: ${strings(locale).noLayerOnLine(line)}`);
    return 1;
  }
  const facts = hoverFacts(found.hit, locale, found.diagnostics);
  const lines = new LineMap(source);
  const at = lines.position(found.offset);
  if (has(args, 'json')) {
    const r = found.hit.whole ? found.hit.model.range : hitRange(found.hit);
    const [from, to] = [lines.position(Math.max(r.from, 0)), lines.position(Math.max(r.to, 0))];
    const { schemaVersion, ...rest } = facts;
    // range: the layer's source (its constructor, or the functional call)
    const range = { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    io.out(JSON.stringify({ schemaVersion, file: shown, line: at.line, column: at.column, range, ...rest }, null, 2));
  } else io.out(`${shown}:${at.line}:${at.column}: ${factsText(facts)}`);
  return 0;
}

registerCommand('explain', "explain the layer on a line, as the editor's hover does", EXPLAIN_HELP, explain);
