/** Io: everything a command may touch of the outside world, passed in so tests can use a fake one. */
import type { Readable, Writable } from 'node:stream';

export type OutStream = Writable & { isTTY?: boolean; columns?: number };

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  now(): Date;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  pid: number;
  host: string;
  isAlive(pid: number): boolean;
}

/** Colour level from --no-color, NO_COLOR, FORCE_COLOR and whether the stream is a terminal. */
export function colorLevel(stream: OutStream, env: Io['env'], noColorFlag: boolean): 0 | 1 | 2 | 3 {
  if (noColorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!stream.isTTY) return 0;
  if (env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return /256/.test(env.TERM ?? '') ? 2 : 1;
}

export function terminalWidth(stream: OutStream, env: Io['env']): number {
  const fromEnv = Number(env.COLUMNS);
  if (stream.columns && stream.columns > 0) return stream.columns;
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return 100;
}
