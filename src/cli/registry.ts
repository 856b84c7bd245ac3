/** The CLI's commands: each module registers itself with a one-line summary. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export type Command = (argv: string[], io: Io) => Promise<number> | number;

export const COMMANDS: Record<string, { summary: string; run: Command }> = {};

export function registerCommand(name: string, summary: string, run: Command): void {
  COMMANDS[name] = { summary, run };
}
