/** Runs the built CLI (bin/mention-watch.js → dist/) as a real process, in a temp working directory. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'mention-watch.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** A clean environment: no NO_COLOR/FORCE_COLOR/CI leaking in, HOME and XDG dirs inside the temp dir. */
export function baseEnv(cwd: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    XDG_CONFIG_HOME: join(cwd, '.config'),
    XDG_DATA_HOME: join(cwd, '.local', 'share'),
    USER: 'tester',
    TZ: 'UTC',
  };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = { ...baseEnv(options.cwd) };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

export interface TempDir {
  path: string;
  file(name: string, content: string): string;
  remove(): void;
}

export function createTempDir(prefix = 'mw-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name, content) {
      const full = join(path, name);
      writeFileSync(full, content);
      return full;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A minimal valid config, merged with overrides. */
export function configJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ brand: { name: 'Acme', keywords: ['acme'] }, database: './mentions.db', sources: [], ...overrides }, null, 2);
}

/** A mention record in the export shape. */
export function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'hackernews:1001',
    source: 'hackernews',
    platform: 'hackernews',
    url: 'https://news.ycombinator.com/item?id=1001',
    author: { handle: 'alice', name: null, url: 'https://news.ycombinator.com/user?id=alice', reach: 120 },
    title: null,
    text: 'Acme has been down for 2 hours and support is not answering',
    createdAt: '2026-11-20T10:00:00.000Z',
    fetchedAt: '2026-11-20T10:05:00.000Z',
    sentiment: null,
    complaint: false,
    intent: null,
    own: false,
    status: 'open',
    answeredAt: null,
    answeredBy: null,
    assignee: null,
    snoozedUntil: null,
    ageHours: 0,
    priority: 0,
    ...overrides,
  };
}

export const ndjson = (records: Record<string, unknown>[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
