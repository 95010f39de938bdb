/** Registers the reporting commands (stats, alerts, topics, notify). */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export interface RegisterHelpers {
  command(name: string, description: string): Command;
  context(cmd: Command): CommandContext;
  examples(lines: string[]): string;
}

export function registerReportCommands(_helpers: RegisterHelpers): void {
  // Filled in by the reports work (issue: stats, spikes, topics, webhooks).
}
