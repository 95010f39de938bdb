/** main(argv, io) → exit code. The only place that maps errors to exit codes. */
import { hostname } from 'node:os';
import { CommanderError } from 'commander';
import { ExitCode, MentionWatchError } from '../errors.js';
import { ClosedPipeError } from '../output/sink.js';
import { stripControl } from '../output/sanitize.js';
import { createContext, type CommandContext } from './context.js';
import type { Io } from './io.js';
import { createProgram } from './program.js';

export async function main(argv: string[], io: Io): Promise<number> {
  let ctx: CommandContext | undefined;
  const program = createProgram(io, (c) => {
    ctx = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx?.exitCode ?? ExitCode.Ok;
  } catch (error) {
    return reportError(error, io, ctx?.globals.debug === true || argv.includes('--debug'));
  } finally {
    for (const cleanup of (ctx?.cleanups ?? []).reverse()) {
      try {
        cleanup();
      } catch {
        // Closing is best effort: the data is already committed.
      }
    }
  }
}

function reportError(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.Ok;
    if (error.exitCode === 0) return ExitCode.Ok;
    return ExitCode.Usage; // commander has printed its message through configureOutput
  }
  if (error instanceof ClosedPipeError) return ExitCode.Ok;
  const write = (line: string): void => {
    try {
      io.stderr.write(`${stripControl(line)}\n`);
    } catch {
      // stderr gone too: nothing left to tell
    }
  };
  if (error instanceof MentionWatchError) {
    for (const line of error.message.split('\n')) write(`mention-watch: ${line}`);
    if (error.hint) write(`hint: ${error.hint}`);
    if (debug && error.stack) write(error.stack);
    return error.exitCode;
  }
  const err = error as Error;
  if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') return ExitCode.Ok;
  write(`mention-watch: internal error: ${err?.message ?? String(error)}`);
  if (debug && err?.stack) write(err.stack);
  else write('hint: re-run with --debug and report it');
  return ExitCode.Internal;
}

/** The bin's entry: real Io, signals, and process.exitCode (never process.exit, so output flushes). */
export function run(): void {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) process.exit(ExitCode.Interrupted);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed pipe (`| head`) must end quietly: swallow EPIPE on the streams; the sink notices and stops.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    signal: controller.signal,
    pid: process.pid,
    host: hostname(),
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = interrupted ? ExitCode.Interrupted : code;
    },
    (error: unknown) => {
      process.stderr.write(`mention-watch: internal error: ${(error as Error)?.message}\n`);
      process.exitCode = ExitCode.Internal;
    },
  );
}
