/**
 * The `convlens` command. Exit codes: 0 success, 1 the command found errors in the model,
 * 2 usage errors or unreadable files. Errors are one line; no stack traces.
 */
import { EngineError } from '../engine';
import { InputError } from '../io/errors';
import { useNodeZlib } from '../io/nodeZlib';
import { printable, terminalSafe } from '../shared/text';
import { UsageError } from './args';
import { FileError } from './files';
import { COMMANDS, outputStyle, type Io } from './registry';
import { readStdin } from './files';
import { VERSION } from './version';
import './summaryCommand';
import './runCommand';
import './explainCommand';

export type { Io };

export function usage(): string {
  const lines = [
    `convlens ${VERSION} — shapes, parameters and feature maps of Keras and PyTorch CNNs, without running Python`,
    '',
    'Usage: convlens <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    `  ${'help'.padEnd(10)} help of a command: convlens help <command>`,
    '',
    'Options:',
    '  -h, --help     show help (also: convlens <command> --help)',
    '  -v, --version  print the version',
    '',
    'FILE may be - (Python source from standard input). Output has colours and box-drawing',
    'characters only on a terminal without NO_COLOR; --ascii (summary, check) forces plain ASCII.',
    'Exit status: 0 success, 1 errors found in the model, 2 usage error or unreadable file.',
  ];
  return lines.join('\n');
}

const SEVERITY_COLOR: Record<string, string> = { error: '31', warning: '33', info: '36' };

/** Colours the severity of a diagnostic line (`file:1:2: error: …`); other lines as they are. */
function paint(line: string): string {
  return line.replace(
    /^([^\n]*?: )(error|warning|info)(: )/,
    (_, a: string, sev: string, b: string) => `${a}\u001b[${SEVERITY_COLOR[sev]}m${sev}\u001b[0m${b}`,
  );
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // every line reaches the terminal through terminalSafe: no escape sequence from a name
  // colours are added after terminalSafe, so that no escape sequence comes from a name
  const color = outputStyle(rawIo, argv.includes('--ascii')).color;
  const io: Io = {
    ...rawIo,
    out: (s) =>
      rawIo.out(
        color
          ? s
              .split('\n')
              .map((l) => paint(terminalSafe(l)))
              .join('\n')
          : terminalSafe(s),
      ),
    err: (s) => rawIo.err(terminalSafe(s)),
  };
  const [cmd, ...rest] = argv;
  if (cmd === 'help' && rest.length > 0) {
    const c = COMMANDS[rest[0]!];
    if (!c || rest.length > 1) {
      io.err(
        `convlens help: ${rest.length > 1 ? 'one command at a time' : `unknown command '${rest[0]}'`} (commands: ${Object.keys(COMMANDS).join(', ')})`,
      );
      return 2;
    }
    io.out(c.help);
    return 0;
  }
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(usage());
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.out(VERSION);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    io.err(`convlens: unknown command '${cmd}' (try 'convlens --help')`);
    return 2;
  }
  try {
    return await c.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`convlens ${cmd}: ${printable(e.message, 2000)} (try 'convlens ${cmd} --help')`);
      return 2;
    }
    if (e instanceof EngineError) {
      io.err(`convlens ${cmd}: ${printable(e.message, 2000)}`);
      return 1;
    }
    if (e instanceof FileError || e instanceof InputError) {
      io.err(`convlens ${cmd}: ${printable(e.message, 2000)}`);
      return 2;
    }
    // a file-system error that escaped a reader: say which file and why, not "internal error"
    const fsError = e as NodeJS.ErrnoException;
    if (typeof fsError?.code === 'string' && /^E[A-Z]+$/.test(fsError.code) && typeof fsError.path === 'string') {
      io.err(`convlens ${cmd}: cannot use '${fsError.path}': ${fsError.code}`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`convlens ${cmd}: internal error: ${msg.split('\n')[0]!.slice(0, 300)}`);
    return 2;
  }
}

/** Runs the command line of this process (the executable's entry, src/cli/launch.ts). */
export function start(): void {
  useNodeZlib();
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    stdin: readStdin,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) start();
