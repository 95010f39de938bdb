import { reportSources, type SourceReport } from '../../app/sources.js';
import { secretsOf } from '../../config/schema.js';
import { PartialFailure } from '../../errors.js';
import { createSink } from '../../output/sink.js';
import { stripControl } from '../../output/sanitize.js';
import type { Column } from '../../output/table.js';
import { loadFor, openFor, useProxy, type CommandContext } from '../context.js';
import { createChalk } from '../emit.js';
import { terminalWidth } from '../io.js';
import { VERSION } from '../version.js';

export async function runSources(ctx: CommandContext, flags: { check?: boolean; format?: 'table' | 'json' }): Promise<void> {
  if (flags.check) return checkSources(ctx);
  const loaded = await loadFor(ctx, { requireConfig: true });
  const store = await openFor(ctx, loaded);
  const now = ctx.io.now().getTime();
  const reports = reportSources(loaded.config, store, now);
  const format = flags.format ?? (ctx.io.stdout.isTTY ? 'table' : 'json');
  const sink = createSink(ctx.io.stdout);
  if (format === 'json') await sink.write(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    const { renderTable } = await import('../../output/table.js');
    const columns: Column<SourceReport>[] = [
      { header: 'Source', width: 14, value: (r) => r.name },
      { header: 'Type', width: 13, value: (r) => r.type },
      { header: 'On', width: 3, value: (r) => (r.enabled ? 'yes' : 'no') },
      { header: 'Last success', width: 20, value: (r) => r.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? '-' },
      { header: 'Stored', width: 7, align: 'right', value: (r) => String(r.mentions) },
      { header: '/day', width: 6, align: 'right', value: (r) => String(r.perDay) },
      {
        header: 'State',
        value: (r) => r.staleReason ?? r.lastError ?? (r.enabled ? 'ok' : 'disabled'),
        style: (cell, r, chalk) => (r.stale ? chalk.red(cell) : cell),
      },
    ];
    await sink.write(renderTable(reports, columns, { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) }));
  }
  await sink.flush();
  const stale = reports.filter((r) => r.stale);
  for (const r of stale) ctx.log.warn(`${r.name}: stale: ${r.staleReason}`);
  if (stale.length > 0) throw new PartialFailure(`sources: ${stale.length} source(s) stale`);
}

/** One cheap request per enabled source: credentials and reachability, said plainly. */
async function checkSources(ctx: CommandContext): Promise<void> {
  const loaded = await loadFor(ctx, { requireConfig: true, requireCredentials: true });
  const { config } = loaded;
  const store = await openFor(ctx, loaded);
  await useProxy(ctx, loaded.env);
  const { createSource } = await import('../../sources/index.js');
  const { createHttpClient } = await import('../../http/client.js');
  const chalk = await createChalk(ctx, ctx.io.stderr);
  const enabled = config.sources.filter((s) => s.enabled);
  const results = await Promise.all(
    enabled.map(async (sourceConfig) => {
      const secrets = secretsOf(sourceConfig, loaded.env);
      const http = createHttpClient({
        name: sourceConfig.name,
        userAgent: `mention-watch/${VERSION}`,
        timeoutMs: config.poll.timeoutSeconds * 1000,
        retries: 0,
        maxBodyBytes: config.poll.maxResponseBytes,
        maxWaitMs: 0,
        secrets,
        signal: ctx.io.signal,
      });
      const log = { debug: (m: string) => ctx.log.debug(`${sourceConfig.name}: ${m}`), info: () => {}, warn: (m: string) => ctx.log.debug(`${sourceConfig.name}: ${m}`) };
      try {
        const source = createSource(sourceConfig, config.brand);
        const message = await source.check({ http, now: () => ctx.io.now(), log, signal: ctx.io.signal, env: loaded.env, kv: store.sourceKv(sourceConfig.name) });
        return { name: sourceConfig.name, ok: true, message };
      } catch (error) {
        const message = ((error as Error).message ?? String(error)).split('\n')[0]!;
        return { name: sourceConfig.name, ok: false, message: message.startsWith(`${sourceConfig.name}:`) ? message.slice(sourceConfig.name.length + 1).trim() : message };
      }
    }),
  );
  const sink = createSink(ctx.io.stdout);
  await sink.write(`${JSON.stringify(results, null, 2)}\n`);
  await sink.flush();
  for (const r of results) {
    const line = `${r.name}: ${stripControl(r.message)}`;
    if (r.ok) ctx.log.info(chalk.green(line));
    else ctx.log.error(chalk.red(line));
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new PartialFailure(`sources --check: ${failed} of ${results.length} source(s) failed`);
}
