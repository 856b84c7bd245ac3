/** `convlens summary FILE` and `convlens check FILE...`. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../io/errors';
import { diagnosticMessage, type Diagnostic, type Locale } from '../model/diagnostics';
import { flag, has, HELP_FLAG, parseArgs, UsageError } from './args';
import { printable } from '../shared/text';
import { FileError, parseInputShapeFlag, parseLocale } from './files';
import { loadFile, STDIN, type LoadedFile } from './modelSource';
import { outputStyle, registerCommand, type Io } from './registry';
import { locator, placeText, summaryText, toJson, type Place } from '../present/summary';
import { VERSION } from './version';

const SUMMARY_HELP = `Usage: convlens summary FILE [options]

Prints a table of every model in a Keras or PyTorch file — each layer's input and output shape,
parameters, whether they train, MACs and FLOPs (the columns of Keras 3's model.summary() and
torchinfo), "Connected to" for functional Keras models — then the totals, torchinfo's memory
estimates (batch 1, float32) and the diagnostics. FILE may be a notebook (.ipynb: its code
cells), - (source from standard input), or a saved model: .keras, a full-model .h5, or .onnx.

  --json              machine-readable output (with a schemaVersion)
  -d, --depth N       fold nested PyTorch modules below depth N into one row each, as
                      torchinfo's depth (layer1.0.conv1 is at depth 3); default: every layer
  --ascii             plain ASCII table, no colours (also without a terminal, or with
                      NO_COLOR set)
  --input-shape DIMS  input size without the batch dimension, in the framework's layout
                      (Keras: 28,28,1; PyTorch: 1,28,28); overrides what the file says
  --site-packages DIR also read imported modules from DIR (repeatable); the file's own
                      folder and its parents are always searched
  --python PATH       the Python environment whose packages to read: its interpreter
                      (.venv/bin/python), its folder, or its site-packages folder. Without it,
                      a .venv, venv, env or .env next to the file or above it (up to the
                      project root), then VIRTUAL_ENV and CONDA_PREFIX; Python is never run
  -m, --model NAME    only the model with this name (Keras name=, class name or variable)
  --locale en|ko      language of messages (default: from LANG)
  -h, --help          this help`;

const CHECK_HELP = `Usage: convlens check FILE... [-f text|json|sarif] [--ascii] [--input-shape DIMS] [--site-packages DIR]... [--python PATH] [--locale en|ko]

Prints shape errors and warnings as FILE:LINE:COL: severity: message [code] (in a notebook
FILE:cellN:LINE:COL, lines counted within the cell; for a saved model — .keras, .h5, .onnx — as
FILE: severity: message [code], naming the layer or node). FILE may be - (standard input).

  -f, --format FMT    text (default); json (with a schemaVersion); sarif (SARIF 2.1.0, for
                      code-scanning tools: rule ids are the diagnostic codes, paths relative
                      to the working folder)
  --ascii             no colours (also without a terminal, or with NO_COLOR set)
  -h, --help          this help

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`;

const SEARCH_FLAGS = {
  'input-shape': { value: true },
  'site-packages': { value: true, repeat: true },
  python: { value: true },
  locale: { value: true },
  help: HELP_FLAG,
} as const;

function loadOrReport(
  cmd: string,
  file: string,
  args: Parameters<typeof loadFile>[1],
  io: Io,
  failed?: (message: string) => void,
): LoadedFile | null {
  try {
    return loadFile(
      file,
      args,
      parseInputShapeFlag(flag(args, 'input-shape')),
      (n) => io.err(`convlens ${cmd}: ${printable(n, 2000)}`),
      io,
    );
  } catch (e) {
    if (e instanceof FileError || e instanceof InputError) {
      io.err(`convlens ${cmd}: ${printable(e.message, 2000)}`);
      failed?.(e.message);
      return null;
    }
    throw e;
  }
}

/** How a FILE is named in output: standard input as <stdin>. */
function shownName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

function parseDepth(v: string | undefined): number | null {
  if (v === undefined) return null;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100)
    throw new UsageError(`--depth must be an integer from 1 to 100, got '${v}'`);
  return Number(v);
}

async function summary(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    ...SEARCH_FLAGS,
    json: { value: false },
    ascii: { value: false },
    depth: { value: true, short: 'd' },
    model: { value: true, short: 'm' },
  });
  if (has(args, 'help')) {
    io.out(SUMMARY_HELP);
    return 0;
  }
  if (args.positional.length !== 1)
    throw new UsageError(args.positional.length === 0 ? 'missing FILE' : 'summary takes one FILE');
  const file = args.positional[0]!;
  const locale = parseLocale(flag(args, 'locale'));
  const depth = parseDepth(flag(args, 'depth'));
  parseInputShapeFlag(flag(args, 'input-shape'));
  const loaded = loadOrReport('summary', file, args, io);
  if (!loaded) return 2;
  const { source, result, cells } = loaded;
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
  const style = outputStyle(io, has(args, 'ascii'));
  const shown = shownName(file);
  io.out(
    has(args, 'json')
      ? JSON.stringify(toJson(shown, source, result, { locale, cells }), null, 2)
      : summaryText(shown, source, result, { locale, cells, depth, unicode: style.unicode }),
  );
  return 0;
}

/** Version of `check --format json`'s layout. */
export const CHECK_SCHEMA_VERSION = 1;

interface Found {
  file: string;
  place: Place | null;
  end: Place | null;
  d: Diagnostic;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A path as a SARIF artifact URI: relative to the working folder (forward slashes), else a file: URI. */
export function sarifUri(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, file));
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).map(encodeURIComponent).join('/');
  return pathToFileURL(resolve(cwd, file)).href;
}

/**
 * SARIF 2.1.0: one run, rules for the codes found, one result per diagnostic; files that could
 * not be read are the invocation's notifications (and it did not succeed).
 */
export function sarifLog(found: Found[], locale: Locale, unreadable: string[] = [], cwd = process.cwd()): object {
  const codes = [...new Set(found.map((f) => f.d.code))].sort();
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ConvLens',
            version: VERSION,
            informationUri: 'https://github.com/convlens/convlens',
            rules: codes.map((id) => ({ id, name: id })),
          },
        },
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            toolExecutionNotifications: unreadable.map((text) => ({ level: 'error', message: { text } })),
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + sep).href } },
        results: found.map(({ file, place, end, d }) => {
          const uri = sarifUri(file, cwd);
          const relativeUri = !uri.startsWith('file:');
          const region = place
            ? {
                region: {
                  startLine: place.line,
                  startColumn: place.column,
                  endLine: end?.line ?? place.line,
                  endColumn: end?.column ?? place.column,
                  ...(place.cell !== undefined ? { properties: { cell: place.cell } } : {}),
                },
              }
            : {};
          return {
            ruleId: d.code,
            ruleIndex: codes.indexOf(d.code),
            level: SARIF_LEVEL[d.severity],
            message: { text: diagnosticMessage(d, locale) },
            locations:
              file === STDIN
                ? []
                : [
                    {
                      physicalLocation: {
                        artifactLocation: relativeUri ? { uri, uriBaseId: '%SRCROOT%' } : { uri },
                        ...region,
                      },
                      ...(d.node !== undefined ? { logicalLocations: [{ name: d.node }] } : {}),
                    },
                  ],
          };
        }),
      },
    ],
  };
}

async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { ...SEARCH_FLAGS, format: { value: true, short: 'f' }, ascii: { value: false } });
  if (has(args, 'help')) {
    io.out(CHECK_HELP);
    return 0;
  }
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, got '${format}'`);
  if (args.positional.length === 0) throw new UsageError('missing FILE');
  if (args.positional.filter((f) => f === STDIN).length > 1)
    throw new UsageError("standard input ('-') can be read once");
  const locale = parseLocale(flag(args, 'locale'));
  parseInputShapeFlag(flag(args, 'input-shape'));
  let errors = 0;
  let unreadable = false;
  const found: Found[] = [];
  const failures: string[] = [];
  for (const file of args.positional) {
    const loaded = loadOrReport('check', file, args, io, (m) => failures.push(m));
    if (!loaded) {
      unreadable = true;
      continue;
    }
    const at = locator(loaded.source, loaded.cells);
    for (const d of loaded.result.diagnostics) {
      const place = at(d.range.from);
      found.push({ file, place, end: at(d.range.to), d });
      if (format === 'text')
        io.out(
          `${printable(placeText(shownName(file), place), 2000)}: ${d.severity}: ${printable(diagnosticMessage(d, locale), 2000)} [${d.code}]`,
        );
      if (d.severity === 'error') errors++;
    }
  }
  if (format === 'json')
    io.out(
      JSON.stringify(
        {
          schemaVersion: CHECK_SCHEMA_VERSION,
          diagnostics: found.map(({ file, place, end, d }) => ({
            file: shownName(file),
            line: place?.line ?? null,
            column: place?.column ?? null,
            endLine: end?.line ?? null,
            endColumn: end?.column ?? null,
            ...(place?.cell !== undefined ? { cell: place.cell } : {}),
            ...(d.node !== undefined ? { node: d.node } : {}),
            severity: d.severity,
            code: d.code,
            message: diagnosticMessage(d, locale),
          })),
        },
        null,
        2,
      ),
    );
  if (format === 'sarif') io.out(JSON.stringify(sarifLog(found, locale, failures), null, 2));
  return unreadable ? 2 : errors > 0 ? 1 : 0;
}

registerCommand(
  'summary',
  'layer table (shapes, parameters, MACs, memory) of each model in a file',
  SUMMARY_HELP,
  summary,
);
registerCommand('check', 'report shape errors as FILE:LINE:COL diagnostics, JSON or SARIF', CHECK_HELP, check);
