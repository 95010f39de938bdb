/** Registers the reporting commands (stats, alerts, topics, notify). */
import { Option, type Command } from 'commander';
import type { CommandContext } from '../context.js';

export interface RegisterHelpers {
  command(name: string, description: string): Command;
  context(cmd: Command): CommandContext;
  examples(lines: string[]): string;
}

const format = (choices: readonly string[], def: string): Option => new Option('-f, --format <format>', `output format (default: ${def})`).choices(choices);

export function registerReportCommands({ command, context, examples }: RegisterHelpers): void {
  command('stats', 'response times, answered share, SLA and backlog per source, with a fairness line by reach')
    .option('--since <when>', 'mentions created since: 24h, 7d, or an ISO date (default: 7d)')
    .addOption(new Option('--by <group>', 'one row per (default: source)').choices(['source', 'day', 'week']))
    .addOption(format(['table', 'json', 'csv'], 'table on a terminal, else json'))
    .addHelpText(
      'after',
      examples(['mention-watch stats', 'mention-watch stats --since 30d --by week', "mention-watch stats --format json | jq '.total.firstResponse.all'"]) +
        '\nTime to first response runs from a complaint\'s creation to its answeredAt; platform-detected and manual answers are counted apart.\n',
    )
    .action(async (flags, cmd: Command) => (await import('./stats.js')).runStats(context(cmd), flags));

  command('alerts', 'complaint spikes found by recent polls, with their top words')
    .option('--since <when>', 'spikes seen since: 24h, 7d, or an ISO date (default: 24h)')
    .addOption(format(['table', 'json'], 'table on a terminal, else json'))
    .addHelpText(
      'after',
      examples(['mention-watch alerts', 'mention-watch alerts --since 7d --format json | jq -r \'.[].topWords | join(" ")\'']) +
        '\nA spike: complaints in the last hour (each author once) of at least 5, and at least mean + 3 × max(sd, √mean, 1)\nof the same hour on the 7 days before. Checked at the end of every poll.\n',
    )
    .action(async (flags, cmd: Command) => (await import('./alerts.js')).runAlerts(context(cmd), flags));

  command('topics', 'recent complaints about the same thing, biggest group first')
    .option('--since <when>', 'complaints created since: 24h, 7d, or an ISO date (default: 24h)')
    .option('--min <n>', 'smallest group shown (default: 3)')
    .addOption(format(['table', 'json'], 'table on a terminal, else json'))
    .addHelpText('after', examples(['mention-watch topics', 'mention-watch topics --since 7d --min 5', "mention-watch topics --format json | jq -r '.[0].ids[]'"]))
    .action(async (flags, cmd: Command) => (await import('./topics.js')).runTopics(context(cmd), flags));

  command('notify', 'webhook notifications: send a test message, or list the event log')
    .option('--test', 'send a sample message to the configured webhook (nothing is recorded)')
    .option('--since <when>', 'events queued since: 24h, 7d, or an ISO date (default: 24h)')
    .addOption(format(['table', 'json'], 'table on a terminal, else json'))
    .addHelpText(
      'after',
      examples(['mention-watch notify --test', 'mention-watch notify --since 7d', "mention-watch notify --format json | jq '.[] | select(.state != \"sent\")'"]) +
        '\nExit codes: 0 sent, 2 no "notify" config or its variable is unset, 3 the webhook failed.\n',
    )
    .action(async (flags, cmd: Command) => (await import('./notify.js')).runNotify(context(cmd), flags));
}
