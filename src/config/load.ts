/** Finds, reads and validates the config file; merges .env files under the real environment; resolves the DB path. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { locateJsonError } from './json-position.js';
import { checkCredentials, validateConfig } from './schema.js';
import type { Config } from './types.js';

export type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** --config */
  configPath?: string;
  /** --db */
  dbPath?: string;
  env: Env;
  cwd: string;
  /** When false, a missing config file is not an error: defaults are used (list, show, export, import). */
  requireConfig: boolean;
  /** Check that the credential variables of enabled sources are set (poll, sources --check, config check). */
  requireCredentials?: boolean;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, or null when running on defaults. */
  configPath: string | null;
  /** The real environment over the .env files (beside the config, then in the working directory). */
  env: Env;
  dbPath: string;
}

export const DEFAULT_CONFIG_FILE = 'mention-watch.json';

function xdgConfigHome(env: Env): string {
  return env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
}

function xdgDataHome(env: Env): string {
  return env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
}

/** --config, else $MENTION_WATCH_CONFIG, else ./mention-watch.json, else $XDG_CONFIG_HOME/mention-watch/config.json. */
export function findConfigFile(flag: string | undefined, env: Env, cwd: string): { path: string; explicit: boolean } | null {
  if (flag) return { path: resolve(cwd, flag), explicit: true };
  if (env.MENTION_WATCH_CONFIG) return { path: resolve(cwd, env.MENTION_WATCH_CONFIG), explicit: true };
  const local = join(cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(local)) return { path: local, explicit: false };
  const xdg = join(xdgConfigHome(env), 'mention-watch', 'config.json');
  if (existsSync(xdg)) return { path: xdg, explicit: false };
  return null;
}

/** Parses JSON, turning a syntax error into "file:line:column: message". */
export function parseJsonFile(path: string, text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body);
  } catch (error) {
    const problem = locateJsonError(body);
    if (!problem) throw new ConfigError(`${path}: invalid JSON: ${(error as Error).message}`);
    const before = body.slice(0, problem.offset);
    const line = before.split('\n').length;
    const column = problem.offset - before.lastIndexOf('\n');
    throw new ConfigError(`${path}:${line}:${column}: invalid JSON: ${problem.message}`);
  }
}

/** dotenv loads on first use (a .env file exists), keeping it out of every command's start-up. */
const requireCjs = createRequire(import.meta.url);

function readEnvFile(path: string): Env {
  if (!existsSync(path)) return {};
  try {
    const { parse } = requireCjs('dotenv') as typeof import('dotenv');
    return parse(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${path}: cannot read: ${(error as Error).message}`);
  }
}

/** Later layers win: .env in the working directory < .env beside the config < the real environment. */
export function mergeEnv(env: Env, cwd: string, configPath: string | null): Env {
  const layers: Env[] = [readEnvFile(join(cwd, '.env'))];
  if (configPath && resolve(dirname(configPath)) !== resolve(cwd)) layers.push(readEnvFile(join(dirname(configPath), '.env')));
  return Object.assign({}, ...layers, env) as Env;
}

export function resolveDbPath(flag: string | undefined, env: Env, cwd: string, config: Config, configPath: string | null): string {
  if (flag) return flag === ':memory:' ? flag : resolve(cwd, flag);
  if (env.MENTION_WATCH_DB) return resolve(cwd, env.MENTION_WATCH_DB);
  if (config.database) {
    if (isAbsolute(config.database)) return config.database;
    return resolve(configPath ? dirname(configPath) : cwd, config.database);
  }
  return join(xdgDataHome(env), 'mention-watch', 'mentions.db');
}

export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const { env: realEnv, cwd } = options;
  const found = findConfigFile(options.configPath, realEnv, cwd);
  let raw: unknown;
  let configPath: string | null = null;
  if (found) {
    let text: string;
    try {
      text = readFileSync(found.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(
        code === 'ENOENT' ? `${found.path}: config file not found` : `${found.path}: cannot read config: ${(error as Error).message}`,
        code === 'ENOENT' ? 'Create one with: mention-watch init' : undefined,
      );
    }
    raw = parseJsonFile(found.path, text);
    configPath = found.path;
  } else if (options.requireConfig) {
    throw new ConfigError(
      `no config file: looked for --config, $MENTION_WATCH_CONFIG, ./${DEFAULT_CONFIG_FILE} and ${join(xdgConfigHome(realEnv), 'mention-watch', 'config.json')}`,
      'Create one with: mention-watch init',
    );
  } else {
    raw = { brand: { name: 'mention-watch' } };
  }
  const { config, problems } = validateConfig(raw);
  const where = configPath ?? '(defaults)';
  if (!config) throw new ConfigError(problems.map((p) => `${where}: ${p}`).join('\n'));
  const env = mergeEnv(realEnv, cwd, configPath);
  if (options.requireCredentials) {
    const missing = checkCredentials(config, env);
    if (missing.length > 0) throw new ConfigError(missing.map((p) => `${where}: ${p}`).join('\n'));
  }
  return { config, configPath, env, dbPath: resolveDbPath(options.dbPath, env, cwd, config, configPath) };
}
