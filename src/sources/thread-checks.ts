/** Shared parts of `checkThreads`: the "no reply found" result and the one-thread-at-a-time loop. */
import { InterruptedError } from '../errors.js';
import type { SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** No reply from the brand found (or none could be looked for). */
export function unanswered(platformId: string): ThreadResult {
  return { platformId, answeredAt: null, reopened: false };
}

/** Without brand accounts no reply can be recognised: warns once and answers every check with `unanswered`. */
export function skipWithoutBrandAccounts(ctx: SourceContext, name: string, type: string, checks: readonly ThreadCheck[]): ThreadResult[] {
  ctx.log.warn(`${name}: brand.accounts.${type} is empty, so replies cannot be detected`);
  return checks.map((check) => unanswered(check.platformId));
}

/**
 * Runs `checkOne` for each check in order. A failure is logged (`<name>: could not check <describe(check)>:
 * <message>`) and answered with `unanswered`, so one broken thread does not hide the others; an interrupt
 * is re-thrown.
 */
export async function checkEachThread(
  ctx: SourceContext,
  name: string,
  checks: readonly ThreadCheck[],
  describe: (check: ThreadCheck) => string,
  checkOne: (check: ThreadCheck) => Promise<ThreadResult>,
): Promise<ThreadResult[]> {
  const results: ThreadResult[] = [];
  for (const check of checks) {
    try {
      results.push(await checkOne(check));
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      ctx.log.warn(`${name}: could not check ${describe(check)}: ${(error as Error).message}`);
      results.push(unanswered(check.platformId));
    }
  }
  return results;
}
