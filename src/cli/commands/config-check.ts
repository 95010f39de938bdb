import { checkCredentials, credentialVariables } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { createSink } from '../../output/sink.js';
import { loadFor, type CommandContext } from '../context.js';

/** Validates the config, then prints it resolved (defaults filled in) with each credential's state, secrets masked. */
export async function runConfigCheck(ctx: CommandContext): Promise<void> {
  const loaded = await loadFor(ctx, { requireConfig: true });
  const credentials = loaded.config.sources.flatMap((source) =>
    credentialVariables(source).map(({ option, variable }) => ({
      source: source.name,
      option,
      variable,
      value: loaded.env[variable] ? mask(loaded.env[variable]!) : null,
    })),
  );
  const resolved = { configPath: loaded.configPath, databasePath: loaded.dbPath, ...loaded.config, credentials };
  const sink = createSink(ctx.io.stdout);
  await sink.write(`${JSON.stringify(resolved, null, 2)}\n`);
  await sink.flush();
  const problems = checkCredentials(loaded.config, loaded.env);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${loaded.configPath}: ${p}`).join('\n'));
  ctx.log.info(`${loaded.configPath}: ok`);
}

/** Shows that a secret is set without showing it: "****" plus its length. */
function mask(secret: string): string {
  return `**** (${secret.length} characters)`;
}
