/**
 * The `convlens` command. Exit codes: 0 success, 1 the command found errors in the model,
 * 2 usage errors or unreadable files. Errors are one line; no stack traces.
 */
import { EngineError } from '../engine';
import { InputError } from '../io/errors';
import { printable, terminalSafe } from '../shared/text';
import { UsageError } from './args';
import { FileError } from './files';
import { COMMANDS, type Io } from './registry';
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
    '',
    'Options:',
    '  --help     show help (also: convlens <command> --help)',
    '  --version  print the version',
  ];
  return lines.join('\n');
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // every line reaches the terminal through terminalSafe: no escape sequence from a name
  const io: Io = { out: (s) => rawIo.out(terminalSafe(s)), err: (s) => rawIo.err(terminalSafe(s)) };
  const [cmd, ...rest] = argv;
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

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
  }).then((code) => {
    process.exitCode = code;
  });
}
