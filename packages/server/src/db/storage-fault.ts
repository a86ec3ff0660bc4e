/**
 * What kind of storage trouble an error is: the disk (or quota) is full, the
 * database or its directory is read-only, the disk failed to read or write, or
 * the database server cannot be reached. None of these is the request's fault
 * or a bug, and all of them pass by themselves or by an operator's hand.
 */
export type StorageFaultKind = 'disk_full' | 'read_only' | 'io_error' | 'unreachable';

/** A driver error recognised as a storage fault. */
export interface StorageFault {
  kind: StorageFaultKind;
  /** The driver's own code (SQLITE_FULL, 53100, ECONNREFUSED…). */
  code: string;
  /** The driver's message, for the log (never sent to clients). */
  message: string;
}

// better-sqlite3 reports extended result codes (SQLITE_IOERR_WRITE,
// SQLITE_READONLY_DBMOVED…), so these match on the primary code as a prefix.
const SQLITE_PREFIXES: Array<[string, StorageFaultKind]> = [
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_CANTOPEN', 'io_error'],
  ['SQLITE_CORRUPT', 'io_error'],
  ['SQLITE_NOTADB', 'io_error'],
  ['SQLITE_PROTOCOL', 'io_error'],
];

// PostgreSQL SQLSTATEs (appendix A of its manual).
const PG_CODES: Record<string, StorageFaultKind> = {
  '53100': 'disk_full', // disk_full
  '53200': 'disk_full', // out_of_memory: the server, not this request, lacks room
  '53300': 'unreachable', // too_many_connections
  '25006': 'read_only', // read_only_sql_transaction (a standby, or default_transaction_read_only)
  '58030': 'io_error', // io_error
  '57P01': 'unreachable', // admin_shutdown
  '57P02': 'unreachable', // crash_shutdown
  '57P03': 'unreachable', // cannot_connect_now (starting up, recovering)
  '3D000': 'unreachable', // invalid_catalog_name: the database in the URL does not exist
  '28P01': 'unreachable', // invalid_password
  '28000': 'unreachable', // invalid_authorization_specification
};

// Socket and file-system errors, from pg's socket or from fs calls on the data dir.
const NODE_CODES: Record<string, StorageFaultKind> = {
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  EROFS: 'read_only',
  EACCES: 'read_only',
  EPERM: 'read_only',
  EIO: 'io_error',
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EPIPE: 'unreachable',
};

// pg throws these without a code when a connection dies under a query.
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/**
 * Recognises a storage fault in a driver error (better-sqlite3, pg, node:fs or
 * node:net), looking through `cause` chains and AggregateErrors (pg reports
 * each address it tried); undefined for anything else (constraint violations,
 * bugs), which must stay what it is.
 */
export function classifyStorageFault(error: unknown): StorageFault | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): StorageFault | undefined => {
    if (!value || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    const { code, message, cause, errors } = value as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string') {
      const kind =
        SQLITE_PREFIXES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1] ?? PG_CODES[code] ?? NODE_CODES[code];
      if (kind) return { kind, code, message: text };
      // PostgreSQL class 08: connection exceptions.
      if (/^08[0-9A-Z]{3}$/.test(code)) return { kind: 'unreachable', code, message: text };
    }
    if (PG_CONNECTION_MESSAGES.some((m) => text.startsWith(m))) return { kind: 'unreachable', code: 'connection_lost', message: text };
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const found = visit(inner);
        if (found) return found;
      }
    }
    return visit(cause);
  };
  return visit(error);
}

/** What an operator should do about a fault of this kind (log lines and start-up messages). */
export function storageFaultAdvice(kind: StorageFaultKind): string {
  switch (kind) {
    case 'disk_full':
      return 'free space on the disk that holds the database; writes resume by themselves';
    case 'read_only':
      return 'make the database and its directory writable by the user running lumio (or point it at a primary, not a standby)';
    case 'io_error':
      return 'check the disk and the kernel log (dmesg) for I/O errors';
    case 'unreachable':
      return 'check that PostgreSQL is running and reachable at DATABASE_URL, and the credentials';
  }
}
