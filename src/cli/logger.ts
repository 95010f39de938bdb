/** Diagnostics on stderr: --quiet hides info, --verbose shows debug. Never stdout. */
import type { Logger } from '../sources/types.js';
import { stripControl } from '../output/sanitize.js';
import type { OutStream } from './io.js';

export interface CliLogger extends Logger {
  error(message: string): void;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export function createLogger(stderr: OutStream, options: { quiet: boolean; verbose: boolean; prefix?: string }): CliLogger {
  const write = (line: string): void => {
    stderr.write(`${stripControl(line)}\n`);
  };
  const prefix = options.prefix ?? '';
  return {
    quiet: options.quiet,
    verbose: options.verbose,
    debug: (m) => {
      if (options.verbose) write(`${prefix}${m}`);
    },
    info: (m) => {
      if (!options.quiet) write(`${prefix}${m}`);
    },
    warn: (m) => write(`${prefix}${m}`),
    error: (m) => write(`${prefix}${m}`),
  };
}
