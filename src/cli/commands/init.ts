import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { ENV_EXAMPLE, starterConfig } from '../../config/starter.js';
import { UsageError } from '../../errors.js';
import { openFor, type CommandContext } from '../context.js';

export async function runInit(ctx: CommandContext, flags: { brand?: string; force?: boolean }): Promise<void> {
  const brand = flags.brand?.trim() || 'Acme';
  const configPath = join(ctx.io.cwd, 'mention-watch.json');
  const envPath = join(ctx.io.cwd, '.env.example');
  if (!flags.force) {
    const existing = [configPath, envPath].filter((p) => existsSync(p));
    if (existing.length > 0) {
      throw new UsageError(`${existing.join(', ')}: already exists; nothing was written`, 'Use --force to overwrite.');
    }
  }
  writeFileSync(configPath, `${JSON.stringify(starterConfig(brand), null, 2)}\n`, { mode: 0o644 });
  writeFileSync(envPath, ENV_EXAMPLE, { mode: 0o644 });
  const loaded = loadConfig({ configPath, dbPath: ctx.globals.db, env: ctx.io.env, cwd: ctx.io.cwd, requireConfig: true });
  const store = await openFor(ctx, loaded);
  ctx.log.info(`wrote ${configPath}`);
  ctx.log.info(`wrote ${envPath} (copy it to .env for the sources that need credentials)`);
  ctx.log.info(`database ${store.path}`);
  ctx.log.info(`watching "${brand}" on ${loaded.config.sources.filter((s) => s.enabled).map((s) => s.name).join(', ')}`);
}
