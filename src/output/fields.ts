/** The one list of exported fields: the JSON/NDJSON/CSV renderers and README.md follow it. */
import type { Mention } from '../types.js';

export interface FieldDef {
  /** Flattened name, used as the CSV header (nested fields joined with "."). */
  name: string;
  get(record: Mention & { slaBreached?: boolean }): unknown;
  /** Cells that may hold attacker-controlled text get the spreadsheet formula guard. */
  text?: boolean;
}

export const RECORD_FIELDS: readonly FieldDef[] = [
  { name: 'id', get: (r) => r.id, text: true },
  { name: 'source', get: (r) => r.source, text: true },
  { name: 'platform', get: (r) => r.platform },
  { name: 'url', get: (r) => r.url, text: true },
  { name: 'author.handle', get: (r) => r.author.handle, text: true },
  { name: 'author.name', get: (r) => r.author.name, text: true },
  { name: 'author.url', get: (r) => r.author.url, text: true },
  { name: 'author.reach', get: (r) => r.author.reach },
  { name: 'title', get: (r) => r.title, text: true },
  { name: 'text', get: (r) => r.text, text: true },
  { name: 'createdAt', get: (r) => r.createdAt },
  { name: 'fetchedAt', get: (r) => r.fetchedAt },
  { name: 'sentiment.score', get: (r) => r.sentiment?.score ?? null },
  { name: 'sentiment.comparative', get: (r) => r.sentiment?.comparative ?? null },
  { name: 'sentiment.label', get: (r) => r.sentiment?.label ?? null },
  { name: 'complaint', get: (r) => r.complaint },
  { name: 'intent', get: (r) => r.intent },
  { name: 'own', get: (r) => r.own },
  { name: 'status', get: (r) => r.status },
  { name: 'answeredAt', get: (r) => r.answeredAt },
  { name: 'answeredBy', get: (r) => r.answeredBy },
  { name: 'assignee', get: (r) => r.assignee, text: true },
  { name: 'snoozedUntil', get: (r) => r.snoozedUntil },
  { name: 'ageHours', get: (r) => r.ageHours },
  { name: 'priority', get: (r) => r.priority },
];

export const TRIAGE_FIELDS: readonly FieldDef[] = [...RECORD_FIELDS, { name: 'slaBreached', get: (r) => r.slaBreached ?? false }];

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];
