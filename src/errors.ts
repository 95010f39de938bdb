/** Error classes and exit codes. Only src/cli/main.ts maps errors to exit codes. */

export const ExitCode = {
  Ok: 0,
  Internal: 1,
  Usage: 2,
  Partial: 3,
  Locked: 4,
  Attention: 5,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class MentionWatchError extends Error {
  readonly exitCode: ExitCode = ExitCode.Internal;
  constructor(
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flag, invalid config, missing environment variable, database from a newer version: exit 2. */
export class UsageError extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Usage;
}

export class ConfigError extends UsageError {}

/** A source failed (network, auth, rate limit, bad payload). The message starts with the source name. */
export class SourceError extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Partial;
}

/** Some input or some source was skipped; everything else was stored: exit 3. */
export class PartialFailure extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Partial;
}

export class LockedError extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Locked;
}

export class AttentionNeededError extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Attention;
}

export class InterruptedError extends MentionWatchError {
  override readonly exitCode: ExitCode = ExitCode.Interrupted;
}
