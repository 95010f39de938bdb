/** A SourceContext for adapter tests: the real HTTP client, a fixed clock, a collecting logger, a Map-backed kv. */
import { createHttpClient, type HttpClientOptions } from '../../src/http/client.js';
import type { Logger, SourceContext, SourceKv } from '../../src/sources/types.js';

export interface TestLogger extends Logger {
  lines: string[];
  warnings: string[];
}

export interface TestSourceContext extends SourceContext {
  log: TestLogger;
  kv: SourceKv & { map: Map<string, string> };
}

export interface TestSourceContextOptions {
  /** The client's name (error prefix). Default 'test'. */
  name?: string;
  /** Default 2026-06-01T12:00:00Z. */
  now?: Date;
  env?: Record<string, string | undefined>;
  kv?: Record<string, string>;
  http?: Partial<HttpClientOptions>;
}

export function createTestLogger(): TestLogger {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    debug: (message) => lines.push(`debug: ${message}`),
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => {
      lines.push(`warn: ${message}`);
      warnings.push(message);
    },
  };
}

export function createTestSourceContext(options: TestSourceContextOptions = {}): TestSourceContext {
  const map = new Map<string, string>(Object.entries(options.kv ?? {}));
  const now = options.now ?? new Date('2026-06-01T12:00:00Z');
  return {
    http: createHttpClient({
      name: options.name ?? 'test',
      userAgent: 'test',
      timeoutMs: 2000,
      retries: 1,
      maxBodyBytes: 5_000_000,
      maxWaitMs: 0,
      sleep: async () => {},
      now: () => now.getTime(),
      ...options.http,
    }),
    now: () => now,
    log: createTestLogger(),
    signal: new AbortController().signal,
    env: options.env ?? {},
    kv: {
      map,
      get: (key) => map.get(key),
      set: (key, value) => {
        if (value === undefined) map.delete(key);
        else map.set(key, value);
      },
    },
  };
}
