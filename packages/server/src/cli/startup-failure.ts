import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { classifyStorageFault, storageFaultAdvice } from '../db/storage-fault.js';

/**
 * The one line `lumio start` prints when it cannot start: what failed, where
 * (the data directory or file, or DATABASE_URL with its password redacted),
 * the driver's own reason, and what to do. A stack trace told an operator none
 * of this (issue 15), and a URL printed whole would put the database password
 * in every log collector that keeps stderr.
 */
export function describeStartupFailure(error: unknown, config: Pick<Config, 'databaseUrl' | 'dataDir' | 'port'>): string {
  const code = String((error as { code?: unknown })?.code ?? '');
  const reason = error instanceof Error ? error.message : String(error);
  const line = (what: string, todo: string, why = reason) =>
    redactPassword(`lumio: cannot start: ${what} (${why}); ${todo}.`, config.databaseUrl);

  if (code === 'EADDRINUSE' || (code === 'EACCES' && /listen/.test(reason))) {
    return line(`cannot listen on port ${config.port}`, 'stop the other process on that port, or choose another with --port or PORT');
  }
  if (config.databaseUrl) {
    const where = redactUrl(config.databaseUrl);
    if (code === 'ERR_INVALID_URL' || reason === 'Invalid URL') {
      return line(`DATABASE_URL is not a valid URL: ${where}`, 'write it as postgres://user:password@host:5432/database');
    }
    const fault = classifyStorageFault(error);
    if (fault && /^(28|3D)/.test(fault.code)) {
      return line(`PostgreSQL at ${where} refused the connection`, 'check the user, password and database name in DATABASE_URL');
    }
    if (fault?.kind === 'unreachable') return line(`cannot connect to PostgreSQL at ${where}`, storageFaultAdvice(fault.kind));
    if (fault) return line(`PostgreSQL at ${where} cannot store data`, storageFaultAdvice(fault.kind));
    return line(
      `the database at ${where} failed`,
      'check the PostgreSQL server log; run `lumio migrate` to see whether the schema can be brought up to date',
    );
  }
  const where = String((error as { path?: unknown })?.path ?? config.dataDir);
  // SQLite says only "unable to open database file" for a read-only directory
  // (it cannot create the WAL's shared-memory file), and a recursive mkdir on a
  // read-only mount says ENOENT: ask the file system what is wrong.
  const denied = writeAccessProblem(config.dataDir);
  if (denied && code !== 'ENOTDIR') {
    return line(
      `the data directory ${config.dataDir} is read-only or not writable`,
      'make it writable by the user running lumio, or set LUMIO_DATA_DIR (or --data-dir) to a writable directory',
      `${denied.code} on ${denied.path}`,
    );
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return line(
      `the data directory ${where} is not a directory`,
      'set LUMIO_DATA_DIR (or --data-dir) to a directory lumio may create and write',
    );
  }
  const fault = classifyStorageFault(error);
  if (fault) {
    const what =
      fault.kind === 'read_only'
        ? `the data directory ${where} is read-only or not writable`
        : fault.kind === 'disk_full'
          ? `no space left for the data directory ${where}`
          : `the database in ${where} cannot be read or written`;
    return line(what, `${storageFaultAdvice(fault.kind)}, or set LUMIO_DATA_DIR to another directory`);
  }
  return line(`start-up failed (data directory ${where})`, 'fix the cause above and start again; LUMIO_LOG_LEVEL=debug logs more');
}

// The nearest existing directory of `dir` (itself or an ancestor) and why it cannot be written, if it cannot.
function writeAccessProblem(dir: string): { path: string; code: string } | undefined {
  let current = path.resolve(dir);
  for (;;) {
    try {
      fs.accessSync(current, fs.constants.W_OK);
      return undefined;
    } catch (error) {
      const code = String((error as { code?: unknown }).code);
      if (code !== 'ENOENT') return code === 'ENOTDIR' ? undefined : { path: current, code };
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

/** A database URL fit to print: the password (if any) replaced by `***`, even when the URL does not parse. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  }
}

// The password may also appear in a driver's message (an unparsable URL is echoed back).
function redactPassword(text: string, url: string | undefined): string {
  if (!url) return text;
  const match = /\/\/[^:/@]*:([^@/]+)@/.exec(url);
  const password = match?.[1];
  let out = text;
  if (password) {
    out = out.split(password).join('***');
    try {
      const decoded = decodeURIComponent(password);
      if (decoded) out = out.split(decoded).join('***');
    } catch {
      // not percent-encoded
    }
  }
  return out;
}
