/** commander wiring: commands, options, help text with examples. Command bodies load lazily. */
import { Command, Option } from 'commander';
import { createContext, type CommandContext, type GlobalOptions } from './context.js';
import type { Io } from './io.js';
import { registerReportCommands } from './commands/register-reports.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function createProgram(io: Io, onContext: (ctx: CommandContext) => void): Command {
  const program = new Command('mention-watch');
  program
    .description('Watch every platform for mentions of your brand, store them, and answer the complaints first.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('-c, --config <file>', 'config file (default: $MENTION_WATCH_CONFIG, ./mention-watch.json, $XDG_CONFIG_HOME/mention-watch/config.json)')
    .option('--db <file>', "database file (default: $MENTION_WATCH_DB, the config's database, $XDG_DATA_HOME/mention-watch/mentions.db)")
    .option('-q, --quiet', 'print nothing on stderr unless something went wrong')
    .option('-v, --verbose', 'print more detail on stderr')
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .option('--debug', 'print stack traces for internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const context = (command: Command): CommandContext => {
    const ctx = createContext(io, command.optsWithGlobals() as GlobalOptions);
    onContext(ctx);
    return ctx;
  };
  const command = (name: string, description: string): Command => {
    const cmd = program.command(name).description(description).exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
    return cmd;
  };
  const format = (choices: readonly string[], def: string): Option =>
    new Option('-f, --format <format>', `output format (default: ${def})`).choices(choices);

  command('init', 'write a starter mention-watch.json and .env.example here, and create the database')
    .option('--brand <name>', 'the brand to watch (default: Acme)')
    .option('--force', 'overwrite existing files')
    .addHelpText('after', examples(['mention-watch init --brand "Acme"', 'mention-watch init --force']))
    .action(async (flags, cmd: Command) => (await import('./commands/init.js')).runInit(context(cmd), flags));

  const config = command('config', 'inspect the configuration');
  config
    .command('check')
    .description('validate the config and print it resolved, secrets masked')
    .addHelpText('after', examples(['mention-watch config check', 'mention-watch --config prod.json config check']))
    .action(async (flags, cmd: Command) => (await import('./commands/config-check.js')).runConfigCheck(context(cmd)));

  command('poll', 'fetch new mentions from every enabled source and store them (run it from cron)')
    .option('-s, --source <name>', 'poll only this source (repeatable; also polls a disabled one)', collect)
    .option('--dry-run', 'fetch and print what would be stored (NDJSON records), writing nothing')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      examples(['mention-watch poll', 'mention-watch poll --source hackernews --dry-run', 'mention-watch poll --quiet --json  # in cron: silent unless a source fails']) +
        '\nExit codes: 0 ok, 3 some source failed (the others were stored), 4 another poll holds the lock.\n',
    )
    .action(async (flags, cmd: Command) => (await import('./commands/poll.js')).runPoll(context(cmd), flags));

  command('sources', 'configured sources with their state; flags stale ones (exit 3)')
    .option('--check', 'make one cheap request per source to verify credentials and reachability')
    .addOption(format(['table', 'json'], 'table on a terminal, else json'))
    .addHelpText('after', examples(['mention-watch sources', 'mention-watch sources --check', 'mention-watch sources --format json | jq \'.[] | select(.stale)\'']))
    .action(async (flags, cmd: Command) => (await import('./commands/sources.js')).runSources(context(cmd), flags));

  command('triage', 'unanswered complaints, most urgent first (age and reach, so nobody waits for being small)')
    .option('-s, --source <name>', 'only this source (repeatable)', collect)
    .option('--since <when>', 'only complaints created since: 24h, 7d, or an ISO date')
    .option('--min-reach <n>', 'only authors with at least this reach')
    .option('--assignee <who>', 'only complaints assigned to this person')
    .option('-n, --limit <n>', 'at most this many (default: 20)')
    .addOption(new Option('--order <order>', 'ranking (default: priority)').choices(['priority', 'age', 'reach']))
    .addOption(format(['table', 'json', 'ndjson', 'csv'], 'table on a terminal, else json'))
    .option('--exit-code', 'exit 5 when any complaint needs an answer (for cron alerts)')
    .option('-i, --interactive', 'step through the list in the terminal and act with single keys')
    .addHelpText(
      'after',
      examples(['mention-watch triage', 'mention-watch triage -i', 'mention-watch triage --format json | jq -r \'.[].url\'', 'mention-watch triage --quiet --exit-code || notify-team']) +
        '\nPriority = reachWeight × log10(1 + reach) + ageWeight × ageHours / slaHours (config "triage").\n',
    )
    .action(async (flags, cmd: Command) => (await import('./commands/triage.js')).runTriage(context(cmd), flags));

  const action = (name: 'answer' | 'ignore' | 'snooze' | 'assign' | 'reopen' | 'note', args: string, description: string, lines: string[]): Command =>
    command(name, description)
      .argument(args)
      .option('--as <name>', 'who did it, for the action log (default: $USER)')
      .addHelpText('after', examples(lines))
      .action(async (ids: string[] | string, flags, cmd: Command) => {
        const list = Array.isArray(ids) ? ids : [ids, ...(cmd.args.slice(1) as string[])];
        return (await import('./commands/actions.js')).runAction(context(cmd), name, list, flags);
      });
  action('answer', '<id...>', 'mark mentions as answered by hand', ['mention-watch answer x:1859263117485862912', 'mention-watch answer hackernews:8863 --as alice'])
    .option('--at <time>', 'when it was answered (ISO 8601; default: now)');
  action('ignore', '<id...>', 'ignore mentions (no answer needed)', ['mention-watch ignore reddit:t3_abc --reason spam']).option('--reason <text>', 'why, for the action log');
  action('snooze', '<id...>', 'hide mentions until a time; they come back as open', ['mention-watch snooze x:123 --for 4h', 'mention-watch snooze x:123 --until 2026-12-01T09:00Z'])
    .option('--for <duration>', 'how long: 30m, 4h, 2d')
    .option('--until <time>', 'until this ISO 8601 time');
  action('assign', '<args...>', 'assign mentions to someone: assign <id...> <who> ("-" unassigns)', ['mention-watch assign x:123 x:456 alice', 'mention-watch assign x:123 -']);
  action('reopen', '<id...>', 'reopen mentions (they need an answer again)', ['mention-watch reopen x:123']);
  action('note', '<args...>', 'add a note to a mention: note <id> <text>', ['mention-watch note x:123 "called them back"']);

  command('classify', 'classify texts (arguments, or one per stdin line / NDJSON {"text"}) and print one JSON verdict per line')
    .argument('[text...]', 'texts to classify (default: read stdin)')
    .option('--addresses-brand', "treat the texts as addressed to the brand's account (questions then need a reply)")
    .addHelpText('after', examples(['mention-watch classify "on hold for 2 hours, still no answer"', 'cut -f2 tweets.tsv | mention-watch classify | jq -c \'{complaint, rules}\'']))
    .action(async (texts: string[], flags, cmd: Command) => (await import('./commands/classify.js')).runClassify(context(cmd), texts, flags));

  command('reclassify', 'classify stored mentions again (after an upgrade or a change to "classify" in the config)')
    .option('--since <when>', 'only mentions created since: 30d, or an ISO date (default: all)')
    .option('--json', 'print the counts as JSON on stdout')
    .addHelpText('after', examples(['mention-watch reclassify --since 30d', 'mention-watch reclassify --json']))
    .action(async (flags, cmd: Command) => (await import('./commands/classify.js')).runReclassify(context(cmd), flags));

  command('list', 'stored mentions, newest first')
    .option('-s, --source <name>', 'only this source (repeatable)', collect)
    .option('--since <when>', 'only mentions created since: 24h, 7d, or an ISO date')
    .addOption(new Option('--status <status>', 'only mentions with this status').choices(['open', 'answered', 'ignored', 'snoozed']))
    .option('--complaints', 'only complaints')
    .option('--search <text>', 'only mentions whose text, title or author contains this')
    .option('-n, --limit <n>', 'at most this many (default: 50)')
    .addOption(format(['table', 'json', 'ndjson', 'csv'], 'table on a terminal, else json'))
    .addHelpText('after', examples(['mention-watch list --since 24h --complaints', 'mention-watch list --source hackernews --format csv > hn.csv', "mention-watch list --format json | jq '.[].url'"]))
    .action(async (flags, cmd: Command) => (await import('./commands/list.js')).runList(context(cmd), flags));

  command('show', 'one mention in full: text, verdict, status and action history')
    .argument('<id>', 'mention id, "<source>:<platform id>"')
    .addOption(format(['text', 'json'], 'text on a terminal, else json'))
    .option('--raw', 'include the platform payload as stored')
    .addHelpText('after', examples(['mention-watch show hackernews:8863', 'mention-watch show hackernews:8863 --format json --raw']))
    .action(async (id: string, flags, cmd: Command) => (await import('./commands/show.js')).runShow(context(cmd), id, flags));

  command('import', 'read NDJSON mention records (the export format) and upsert them')
    .argument('[file]', 'file to read, or - for stdin (default: stdin)')
    .addHelpText('after', examples(['mention-watch import backup.ndjson', 'mention-watch export --format ndjson | ssh other mention-watch import -']))
    .action(async (file: string | undefined, flags, cmd: Command) => (await import('./commands/import.js')).runImport(context(cmd), file));

  command('export', 'stream stored mentions as json, ndjson or csv (in storage order)')
    .addOption(format(['json', 'ndjson', 'csv'], 'ndjson'))
    .option('-o, --out <file>', 'write to this file (atomically: a temp file renamed when complete)')
    .option('--since <when>', 'only mentions created since: 24h, 7d, or an ISO date')
    .option('--complaints', 'only complaints')
    .addOption(new Option('--status <status>', 'only mentions with this status').choices(['open', 'answered', 'ignored', 'snoozed']))
    .option('-s, --source <name>', 'only this source (repeatable)', collect)
    .addHelpText('after', examples(['mention-watch export --out mentions.ndjson', 'mention-watch export --format csv --complaints --since 7d > complaints.csv', 'mention-watch export | head -1']))
    .action(async (flags, cmd: Command) => (await import('./commands/export.js')).runExport(context(cmd), flags));

  registerReportCommands({ command, context, examples });

  return program;
}
