import { parse, type CsvError } from 'csv-parse';
import type { ImportRowError, ImportRowInput } from './import-row.js';
import { ImportMalformedError } from './import-errors.js';

/** A row as a reader hands it on: its line and fields, or why the line is no row. */
export type RawRow = { line: number; input: ImportRowInput } | ImportRowError;

const PARSE_SLICE = 16 * 1024;
const TRAIT_COLUMNS = new Set(['name', 'email', 'birthday', 'gender']);
// A JSON-style number without a leading zero ("02134", a zip code, stays text).
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

type Column =
  | { kind: 'userId' }
  | { kind: 'trait'; name: string }
  | { kind: 'property'; key: string }
  | { kind: 'companyId' }
  | { kind: 'companyName' }
  | { kind: 'companyProperty'; key: string };

/**
 * Reads CSV rows from a byte stream, chunk by chunk (csv-parse, RFC 4180
 * quoting, a UTF-8 BOM skipped). The first line names the columns:
 * `user_id` (required), `name`, `email`, `birthday`, `gender`,
 * `properties.<key>`, `company_id`, `company_name`, `company.<key>`; any
 * other column stops the import at line 1, so a misspelt one never vanishes.
 * An empty cell leaves the value alone; property cells holding `true`,
 * `false` or a number (no leading zero) are stored as such, the rest as text.
 * Each row carries the physical line it starts on (a quoted cell may span
 * lines). Broken quoting or a record longer than `maxRecordChars` stops the
 * import with {@link ImportMalformedError}, after every row before it.
 */
export async function* csvRows(source: AsyncIterable<Buffer>, maxRecordChars: number): AsyncGenerator<RawRow[]> {
  let header: Column[] | undefined;
  let out: RawRow[] = [];
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: maxRecordChars,
    // Records are taken as parsed, before any later error: every row before a broken line is kept.
    on_record: (record: string[], context) => {
      const line = startLine(record, context.lines);
      if (!header) header = readHeader(record);
      else out.push(toRow(header, record, line));
      return null;
    },
  });
  let failure: CsvError | Error | undefined;
  parser.on('error', (error) => (failure ??= error));
  const feed = (chunk?: Buffer) =>
    new Promise<void>((resolve) => {
      if (chunk) parser.write(chunk, () => resolve());
      else parser.end(() => resolve());
    });
  const take = () => {
    const rows = out;
    out = [];
    return rows;
  };
  for await (const chunk of source) {
    // A socket hands over up to 64 KiB at once: parsed in slices, so each turn of the event loop stays short.
    for (let start = 0; start < chunk.length && !failure; start += PARSE_SLICE) {
      await feed(chunk.subarray(start, start + PARSE_SLICE));
      if (out.length) yield take();
    }
    if (failure) throw malformed(failure);
  }
  if (!failure) await feed();
  if (out.length) yield take();
  if (failure) throw malformed(failure);
  if (!header) throw new ImportMalformedError(1, 'The file is empty: its first line must name the columns (user_id, name, …).');
}

// csv-parse counts the line a record ends on; a quoted cell's line breaks move its start up.
function startLine(record: string[], endLine: number): number {
  let breaks = 0;
  for (const cell of record) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) breaks++;
  return endLine - breaks;
}

function readHeader(names: string[]): Column[] {
  const seen = new Set<string>();
  const columns = names.map((raw) => {
    const name = raw.trim();
    if (seen.has(name)) throw new ImportMalformedError(1, `Column "${name}" appears twice in the header.`);
    seen.add(name);
    if (name === 'user_id') return { kind: 'userId' } as const;
    if (TRAIT_COLUMNS.has(name)) return { kind: 'trait', name } as const;
    if (name === 'company_id') return { kind: 'companyId' } as const;
    if (name === 'company_name') return { kind: 'companyName' } as const;
    if (name.startsWith('properties.') && name.length > 11) return { kind: 'property', key: name.slice(11) } as const;
    if (name.startsWith('company.') && name.length > 8) return { kind: 'companyProperty', key: name.slice(8) } as const;
    throw new ImportMalformedError(
      1,
      `Unknown column "${name.slice(0, 80)}": use user_id, name, email, birthday, gender, properties.<key>, company_id, company_name or company.<key>.`,
    );
  });
  if (!seen.has('user_id')) throw new ImportMalformedError(1, 'The header has no user_id column; every row needs one.');
  return columns;
}

function toRow(header: Column[], record: string[], line: number): RawRow {
  if (record.length !== header.length) {
    return { line, code: 'invalid_request', message: `The row has ${record.length} cells; the header names ${header.length}.` };
  }
  const input: ImportRowInput & Record<string, unknown> = {};
  let properties: Record<string, unknown> | undefined;
  let company: { id?: string; name?: string; properties?: Record<string, unknown> } | undefined;
  for (let i = 0; i < header.length; i++) {
    const value = record[i]!;
    const column = header[i]!;
    if (column.kind === 'userId') input.userId = value;
    if (value === '') continue;
    if (column.kind === 'trait') input[column.name] = value;
    else if (column.kind === 'property') (properties ??= {})[column.key] = typed(value);
    else if (column.kind === 'companyId') (company ??= {}).id = value;
    else if (column.kind === 'companyName') (company ??= {}).name = value;
    else if (column.kind === 'companyProperty') ((company ??= {}).properties ??= {})[column.key] = typed(value);
  }
  if (properties) input.properties = properties;
  if (company) {
    if (company.id === undefined)
      return { line, code: 'invalid_request', message: 'company_name and company.<key> cells need a company_id.' };
    input.company = company;
  }
  return { line, input };
}

/** The CSV typing rule for property cells (docs/server-api.md#import). */
export function typed(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (NUMBER.test(value)) {
    const number = Number(value);
    if (Number.isFinite(number)) return number;
  }
  return value;
}

function malformed(error: Error): ImportMalformedError {
  if (error instanceof ImportMalformedError) return error;
  const line = Number((error as { lines?: unknown }).lines ?? 0);
  const message =
    (error as CsvError).code === 'CSV_MAX_RECORD_SIZE'
      ? 'A row is longer than the server accepts for one row (LUMIO_BODY_LIMIT_BYTES).'
      : error.message;
  return new ImportMalformedError(line, `Line ${line}: ${message}`);
}
