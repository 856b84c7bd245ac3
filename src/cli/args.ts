/**
 * Command-line options, parsed by Node's `util.parseArgs` in strict mode: known options only,
 * `--flag value`, `--flag=value` or a short alias (`-o DIR`), boolean switches, positional
 * arguments (`-` is one: standard input). Problems are UsageErrors (exit 2) with a one-line message.
 */
import { parseArgs as nodeParseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`--out DIR`) rather than being a switch (`--json`). */
  value: boolean;
  /** May be given several times. */
  repeat?: boolean;
  /** A one-letter alias (`o` for `-o`). */
  short?: string;
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

/** Node's messages say more than one line; ours name the option and stop. */
function usageError(e: unknown, spec: Record<string, FlagSpec>): UsageError {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  const named = /'(--[^' <,]+)/.exec(msg)?.[1] ?? /'(-[^' <,]+)/.exec(msg)?.[1] ?? '';
  const long = named.startsWith('--')
    ? named
    : `--${Object.entries(spec).find(([, s]) => `-${s.short}` === named)?.[0] ?? named.slice(1)}`;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option '${named}'`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return new UsageError(`option '${long}' takes no value`);
      if (/ambiguous/.test(msg))
        return new UsageError(`option '${long}' needs a value (a value starting with '-' is written ${long}=-…)`);
      return new UsageError(`option '${long}' needs a value`);
    default:
      return new UsageError(msg.split('\n')[0]!);
  }
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, s] of Object.entries(spec))
    options[name] = { type: s.value ? 'string' : 'boolean', multiple: true, ...(s.short ? { short: s.short } : {}) };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(e, spec);
  }
  const flags = new Map<string, string[]>();
  for (const [name, v] of Object.entries(parsed.values)) {
    const values = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : 'true'));
    if (values.length > 1 && !spec[name]!.repeat) throw new UsageError(`option '--${name}' given more than once`);
    flags.set(name, values);
  }
  return { positional: parsed.positionals, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function has(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

/** `-h`/`--help`, accepted by every command. */
export const HELP_FLAG: FlagSpec = { value: false, short: 'h' };
