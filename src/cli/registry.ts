/** The CLI's commands: each module registers itself with a one-line summary and its help. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Standard output is a terminal (colours and box-drawing characters allowed); false when unset. */
  isTTY?: boolean;
  /** The environment (NO_COLOR, FORCE_COLOR); process.env when unset. */
  env?: Record<string, string | undefined>;
  /** Reads standard input, for the FILE `-`; capped by the caller. */
  stdin?: (cap: number) => Uint8Array;
}

export type Command = (argv: string[], io: Io) => Promise<number> | number;

export const COMMANDS: Record<string, { summary: string; help: string; run: Command }> = {};

export function registerCommand(name: string, summary: string, help: string, run: Command): void {
  COMMANDS[name] = { summary, help, run };
}

/** How output is drawn: box-drawing characters and colours, or plain ASCII. */
export interface OutputStyle {
  unicode: boolean;
  color: boolean;
}

/**
 * Colours and box-drawing characters only on a terminal without NO_COLOR (https://no-color.org:
 * set and not empty); FORCE_COLOR (set, not '0') turns colours on anywhere. `ascii` (--ascii)
 * forces plain ASCII: tables without box-drawing characters, and no colours.
 */
export function outputStyle(io: Io, ascii = false): OutputStyle {
  const env = io.env ?? process.env;
  const noColor = (env['NO_COLOR'] ?? '') !== '';
  const force = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false';
  const tty = io.isTTY === true;
  return { unicode: tty && !noColor && !ascii, color: !noColor && !ascii && (force || tty) };
}
