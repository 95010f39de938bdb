/**
 * Whole-process measurements: wall time from spawn to exit (process.hrtime in this process), and peak
 * memory as the child's maximum resident set size, read from `/usr/bin/time -v` when it exists, else from
 * `process.resourceUsage().maxRSS` reported at exit by bench/rss-wrapper.js (same number: getrusage()).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const WRAPPER = fileURLToPath(new URL('./rss-wrapper.js', import.meta.url));
export const MEMORY_METHOD = existsSync(GNU_TIME) ? '/usr/bin/time -v (max RSS)' : 'process.resourceUsage().maxRSS via bench/rss-wrapper.js';

/**
 * Runs `node <args>` once. `stdout`: 'ignore' (default, i.e. /dev/null), 'capture', or a file path.
 * With `memory: true` the child runs under /usr/bin/time -v (or the wrapper) and maxRssMb is set.
 */
export function runNode(args, { cwd, env, stdout = 'ignore', stdin = 'ignore', memory = false } = {}) {
  return new Promise((resolve, reject) => {
    let command = process.execPath;
    let argv = args;
    let rssFile;
    const scratch = memory ? mkdtempSync(join(tmpdir(), 'mw-bench-rss-')) : undefined;
    const childEnv = { ...process.env, ...env };
    if (memory) {
      rssFile = join(scratch, 'rss');
      if (existsSync(GNU_TIME)) {
        command = GNU_TIME;
        argv = ['-v', '-o', rssFile, process.execPath, ...args];
      } else {
        argv = [WRAPPER, ...args];
        childEnv.BENCH_RSS_FILE = rssFile;
      }
    }
    let outFd;
    let stdoutOption = 'ignore';
    if (stdout === 'capture') stdoutOption = 'pipe';
    else if (stdout !== 'ignore') {
      outFd = openSync(stdout, 'w');
      stdoutOption = outFd;
    }
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd, env: childEnv, stdio: [stdin, stdoutOption, 'pipe'] });
    const out = [];
    const err = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (outFd !== undefined) closeSync(outFd);
      let maxRssMb;
      if (rssFile) {
        try {
          const text = readFileSync(rssFile, 'utf8');
          const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? text.trim();
          maxRssMb = Number(kb) / 1024;
        } catch {
          maxRssMb = NaN;
        }
        rmSync(scratch, { recursive: true, force: true });
      }
      resolve({ ms, code, maxRssMb, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each of several named commands `runs` times, interleaved (a, b, a, b, ...) so that load from other
 * people's work on the machine hits them alike. Returns { name: { ms (median), all, maxRssMb (median) } }.
 * A run that exits non-zero throws with its stderr.
 */
export async function compareRuns(commands, runs, { warmup = 1 } = {}) {
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, run] of Object.entries(commands)) {
      const result = await run();
      if (result.code !== 0) throw new Error(`${name}: exit ${result.code}\n${result.stderr.slice(0, 2000)}`);
      if (i >= warmup) samples[name].push(result);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        ms: median(list.map((r) => r.ms)),
        all: list.map((r) => Math.round(r.ms)),
        maxRssMb: list.some((r) => r.maxRssMb !== undefined) ? median(list.map((r) => r.maxRssMb)) : undefined,
        last: list.at(-1),
      },
    ]),
  );
}

/** Median time (ms) of `fn` in this process over `runs` calls after `warmup` calls. */
export function timeInProcess(fn, runs, warmup = 5) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}
