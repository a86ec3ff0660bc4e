import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Actor, AuditLog } from '../../audit/audit-log.js';
import type { GroupCommit } from '../../db/group-commit.js';
import { LumioError } from '../../errors/lumio-error.js';
import { csvRows, type RawRow } from './csv-rows.js';
import { ndjsonRows } from './ndjson-rows.js';
import { isRowError, validateImportRow, type ImportRow, type ImportRowError } from './import-row.js';
import { ImportMalformedError, ImportTooLargeError, limitBytes } from './import-errors.js';
import { newImportMemo, rememberCompanies, type ImportBatchWriter } from './import-batch-writer.js';

/** The answer of an import. */
export interface ImportSummary {
  /** Rows stored (valid rows; a row that changed nothing counts too). */
  imported: number;
  /** Users created. */
  created: number;
  /** Existing users whose values changed. */
  updated: number;
  /** Rows refused; the first {@link ImportLimits.maxErrors} are in `errors`. */
  failed: number;
  errors: ImportRowError[];
}

/** Sizes of an import run. */
export interface ImportLimits {
  /** Most bytes one body may carry (LUMIO_IMPORT_MAX_BYTES). */
  maxBytes: number;
  /** Longest row (LUMIO_BODY_LIMIT_BYTES, the size of one upsert's body). */
  maxRowBytes: number;
  /** Rows per transaction. */
  batchSize: number;
  /** Row errors listed in the answer; the rest are only counted. */
  maxErrors: number;
}

/** Default sizes: 1,000 rows per transaction, the first 1,000 errors listed. */
export const IMPORT_BATCH_SIZE = 1000;
export const IMPORT_MAX_ERRORS = 1000;
// Rows read and checked between two turns of the event loop.
const TURN_ROWS = 500;

/**
 * Imports users from a streamed CSV or NDJSON body: rows are read as the
 * bytes arrive, checked like the server API's upsert, and stored in batches
 * of `batchSize` rows, one transaction each (through the group commit, so
 * they queue with other writes instead of locking them out), yielding to the
 * event loop between batches. A refused row is reported with its line and
 * never stops the rest. A file that cannot be read on (or is too large)
 * stops with a LumioError naming the line, after storing every valid row
 * before it; its details carry the counts so far. One `user.import` audit
 * entry records the run either way.
 */
export async function importUsers(
  services: { writer: ImportBatchWriter; writes: GroupCommit; audit: AuditLog },
  workspaceId: string,
  actor: Actor,
  format: 'csv' | 'ndjson',
  body: AsyncIterable<Buffer | string>,
  limits: ImportLimits,
): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, created: 0, updated: 0, failed: 0, errors: [] };
  const bytes = limitBytes(body, limits.maxBytes);
  const rows = format === 'csv' ? csvRows(bytes, limits.maxRowBytes) : ndjsonRows(bytes, limits.maxRowBytes);
  let batch: ImportRow[] = [];
  const memo = newImportMemo();
  const fail = (error: ImportRowError) => {
    summary.failed++;
    if (summary.errors.length < limits.maxErrors) summary.errors.push(error);
  };
  // One batch may be committing while the next is read and checked: PostgreSQL writes on its own core
  // meanwhile (on SQLite the write runs on this thread anyway). Batches of one import share a lane of
  // the group commit, so they still commit in file order, and at most two are held in memory.
  let committing: Promise<void> | undefined;
  const settle = async () => {
    const pending = committing;
    committing = undefined;
    await pending;
  };
  const flush = async () => {
    await settle();
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // One lane per workspace's imports: batches of one import commit in file order.
    committing = services.writes
      .submit((trx) => services.writer.write(trx, workspaceId, rows, memo), `import\u0000${workspaceId}`)
      .then((result) => {
        rememberCompanies(memo, result.companies);
        summary.imported += rows.length;
        summary.created += result.created;
        summary.updated += result.updated;
      });
    // Awaited by the next flush or settle; a failure is thrown there, not reported as unhandled.
    committing.catch(() => undefined);
    // Between batches, anything else waiting (a health check, identify) runs.
    await yieldToEventLoop();
  };
  let stopped: LumioError | undefined;
  let complete = false;
  try {
    let sinceTurn = 0;
    for await (const items of rows) {
      // Checking rows costs CPU too: other requests get a turn every few hundred.
      if ((sinceTurn += items.length) >= TURN_ROWS) {
        sinceTurn = 0;
        await yieldToEventLoop();
      }
      for (const item of items as RawRow[]) {
        if ('code' in item) {
          fail(item);
          continue;
        }
        const row = validateImportRow(item.line, item.input);
        if (isRowError(row)) fail(row);
        else if (batch.push(row) >= limits.batchSize) await flush();
      }
    }
    await flush();
    await settle();
    complete = true;
  } catch (error) {
    if (!(error instanceof ImportMalformedError || error instanceof ImportTooLargeError)) throw error;
    // What was read before the bad line is valid: store it, then stop.
    await flush();
    await settle();
    const stored = `${summary.imported} rows before it were stored`;
    // The client may still be sending: the answer closes the connection, so it stops.
    const close = { connection: 'close' };
    stopped =
      error instanceof ImportTooLargeError
        ? new LumioError('payload_too_large', `${error.message} ${stored}.`, { ...summary, maxBytes: error.maxBytes }, close)
        : new LumioError(
            'import_malformed',
            `${error.message} The import stopped there; ${stored}.`,
            { ...summary, line: error.line },
            close,
          );
  } finally {
    // A batch still committing when the body failed (the client went away) is counted before the audit entry.
    await settle().catch(() => undefined);
    const { errors: _errors, ...counts } = summary;
    await services.audit.record(workspaceId, actor, 'user.import', null, { format, ...counts, complete }).catch(() => undefined);
  }
  if (stopped) throw stopped;
  return summary;
}
