/**
 * A real HTTP server on 127.0.0.1 (port 0) that answers from a list of routes: recorded fixtures,
 * inline bodies, or failure modes (delay, socket destroyed, truncated body, endless body).
 * An unknown request is answered 599 and recorded in `unmatched`; `assertDone()` fails the test on it,
 * and on any route that was never requested (gh's httpmock `Verify`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReplayRoute {
  /** Default 'GET'. */
  method?: string;
  /** Exact pathname, e.g. '/api/v1/search_by_date' (may include a prefix like '/hn/api/v1/...'). */
  path: string;
  /** If given, each listed param must equal this value (others ignored). */
  query?: Record<string, string>;
  /** Default 200. */
  status?: number;
  /** Response headers (content-type defaults to application/json for object/.json bodies). */
  headers?: Record<string, string>;
  /** Object → JSON.stringify. */
  body?: string | Buffer | object;
  /** Path of a fixture file to serve as the body (absolute, or relative to test/fixtures/). */
  file?: string;
  /** Wait before answering (timeouts, latency). */
  delayMs?: number;
  /** Serve at most this many times, then later routes for the same request match. Default unlimited. */
  times?: number;
  /** Destroy the socket without answering (network error). */
  destroy?: boolean;
  /** Send headers + half the body, then destroy the socket. */
  truncate?: boolean;
  /** Stream this many bytes of filler as the body, without content-length (oversized-body tests). */
  flood?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

export interface ReplayServer {
  /** e.g. 'http://127.0.0.1:43121' (no trailing slash). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests no route matched (answered 599 with a text body naming the request). */
  unmatched: RecordedRequest[];
  add(...routes: ReplayRoute[]): void;
  /** Throws if any request was unmatched or any route (without times: 0) was never requested. */
  assertDone(): void;
  close(): Promise<void>;
}

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Resolves a path under test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return resolve(FIXTURES_DIR, ...parts);
}

interface RouteState {
  route: ReplayRoute;
  served: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startReplayServer(routes: ReplayRoute[] = []): Promise<ReplayServer> {
  const states: RouteState[] = [];
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const add = (...more: ReplayRoute[]): void => {
    for (const route of more) states.push({ route, served: 0 });
  };
  add(...routes);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = recordRequest(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(recorded);
      const state = states.find((s) => matches(s, recorded));
      if (!state) {
        unmatched.push(recorded);
        const text = `replay-server: no route for ${describe(recorded)}\n`;
        res.writeHead(599, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      state.served += 1;
      const answer = (): void => {
        try {
          respond(state.route, req, res);
        } catch (error) {
          const text = `replay-server: ${(error as Error).message}\n`;
          if (!res.headersSent) res.writeHead(598, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(text);
        }
      };
      if (state.route.delayMs && state.route.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer();
        }, state.route.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    add,
    assertDone(): void {
      const problems: string[] = [];
      for (const r of unmatched) problems.push(`unmatched request: ${describe(r)}`);
      for (const s of states) {
        if (s.served === 0 && s.route.times !== 0) {
          problems.push(`route never requested: ${(s.route.method ?? 'GET').toUpperCase()} ${s.route.path}${describeQuery(s.route.query ?? {})}`);
        }
      }
      if (problems.length > 0) throw new Error(`replay-server:\n  ${problems.join('\n  ')}`);
    },
    close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

function recordRequest(req: IncomingMessage, body: string): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query, headers, body };
}

function matches(state: RouteState, req: RecordedRequest): boolean {
  const { route } = state;
  if (route.times !== undefined && state.served >= route.times) return false;
  if ((route.method ?? 'GET').toUpperCase() !== req.method) return false;
  if (route.path !== req.path) return false;
  for (const [key, value] of Object.entries(route.query ?? {})) {
    if (req.query[key] !== value) return false;
  }
  return true;
}

function describe(req: RecordedRequest): string {
  return `${req.method} ${req.path}${describeQuery(req.query)}`;
}

function describeQuery(query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `?${search}` : '';
}

function bodyOf(route: ReplayRoute): { body: Buffer; type?: string } {
  if (route.file !== undefined) {
    const path = isAbsolute(route.file) ? route.file : fixturePath(route.file);
    return { body: readFileSync(path), type: CONTENT_TYPES[extname(path).toLowerCase()] };
  }
  const { body } = route;
  if (body === undefined) return { body: Buffer.alloc(0) };
  if (typeof body === 'string') return { body: Buffer.from(body, 'utf8'), type: 'text/plain; charset=utf-8' };
  if (Buffer.isBuffer(body)) return { body };
  return { body: Buffer.from(JSON.stringify(body), 'utf8'), type: 'application/json; charset=utf-8' };
}

function respond(route: ReplayRoute, req: IncomingMessage, res: ServerResponse): void {
  if (route.destroy) {
    req.socket.destroy();
    return;
  }
  const status = route.status ?? 200;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(route.headers ?? {})) headers[key.toLowerCase()] = value;

  if (route.flood !== undefined) {
    headers['content-type'] ??= 'application/json';
    delete headers['content-length'];
    res.writeHead(status, headers);
    flood(res, route.flood);
    return;
  }

  const { body, type } = bodyOf(route);
  if (type !== undefined) headers['content-type'] ??= type;
  headers['content-length'] ??= String(body.length);
  res.writeHead(status, headers);
  if (route.truncate) {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
      setImmediate(() => req.socket.destroy());
    });
    return;
  }
  res.end(req.method === 'HEAD' ? undefined : body);
}

function flood(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let left = total;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}
