/**
 * A small, strict argument parser: known flags only, `--flag value` or `--flag=value`,
 * boolean switches, positional arguments. Problems are UsageErrors (exit 2).
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`--out DIR`) rather than being a switch (`--json`). */
  value: boolean;
  /** May be given several times. */
  repeat?: boolean;
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) throw new UsageError(`unknown option '${arg}'`);
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option '--${name}'`);
    let value = 'true';
    if (s.value) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`option '--${name}' needs a value`);
    } else if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
    const prev = flags.get(name) ?? [];
    if (prev.length > 0 && !s.repeat) throw new UsageError(`option '--${name}' given more than once`);
    flags.set(name, [...prev, value]);
  }
  return { positional, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}
