/**
 * Peak-memory fallback when /usr/bin/time is missing: `node rss-wrapper.js <script> [args...]` runs the
 * script as if it were started directly and writes process.resourceUsage().maxRSS (KiB) to $BENCH_RSS_FILE at exit.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(process.argv[1])).href);
