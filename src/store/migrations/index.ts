import type { Migration } from '../migrate.js';
import * as initial from './0010-initial.js';
import * as reports from './0020-reports.js';
import * as openByAge from './0030-open-complaints-by-age.js';

/** Every migration, in order. Shipped migrations are never edited: add a new file instead. */
export const MIGRATIONS: readonly Migration[] = [initial, reports, openByAge];
