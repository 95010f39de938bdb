/** What every command gets: Io, the global flags, and helpers to load the config and open the store. */
import type { LoadedConfig } from '../config/load.js';
import type { Store } from '../store/types.js';
import type { Io } from './io.js';
import { createLogger, type CliLogger } from './logger.js';

export interface GlobalOptions {
  config?: string;
  db?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  debug?: boolean;
}

export interface CommandContext {
  io: Io;
  globals: GlobalOptions;
  log: CliLogger;
  /** The exit code the command wants when it returns normally (e.g. 3 after skipping input). */
  exitCode: number;
  /** Resources to release when the command ends (stores, locks), run in reverse order. */
  cleanups: (() => void)[];
}

export function createContext(io: Io, globals: GlobalOptions): CommandContext {
  return {
    io,
    globals,
    log: createLogger(io.stderr, { quiet: globals.quiet === true, verbose: globals.verbose === true || globals.debug === true }),
    exitCode: 0,
    cleanups: [],
  };
}

/** Loads the config lazily: `--version` and `--help` never pay for validation, dotenv and fs probing. */
export async function loadFor(ctx: CommandContext, options: { requireConfig: boolean; requireCredentials?: boolean }): Promise<LoadedConfig> {
  const { loadConfig } = await import('../config/load.js');
  return loadConfig({
    configPath: ctx.globals.config,
    dbPath: ctx.globals.db,
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    requireConfig: options.requireConfig,
    requireCredentials: options.requireCredentials,
  });
}

/**
 * Routes the command's requests through the proxy the environment (or .env) names, if any: http_proxy,
 * https_proxy, no_proxy (src/http/proxy.ts). For the commands that contact sources or webhooks. A proxy URL
 * that cannot be used is a usage error naming the variable.
 */
export async function useProxy(ctx: CommandContext, env: Record<string, string | undefined>): Promise<void> {
  if (!PROXY_VARIABLES.some((name) => env[name])) return;
  const { useProxyFromEnv } = await import('../http/proxy.js');
  const { UsageError } = await import('../errors.js');
  let settings;
  try {
    settings = useProxyFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message, 'Set it to the proxy\'s URL, e.g. http://proxy.example:3128, or unset it.');
  }
  if (settings) ctx.log.debug(`requests go through a proxy${settings.noProxy ? ` (not for ${settings.noProxy})` : ''}`);
}

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];

/** Opens the store lazily (better-sqlite3 loads only in commands that need it) and closes it when the command ends. */
export async function openFor(ctx: CommandContext, loaded: LoadedConfig, options: { mustExist?: boolean } = {}): Promise<Store> {
  const { openStore } = await import('../store/open.js');
  const store = openStore(loaded.dbPath, options);
  ctx.cleanups.push(() => store.close());
  return store;
}
