import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config.js';

/** Name of the generated key file in the data dir (embedded default only). */
export const MASTER_KEY_FILE = 'master.key';

/**
 * Decodes a 32-byte master key written as base64/base64url (44/43 chars) or
 * hex (64 chars). Throws a {@link ConfigError} naming the setting otherwise.
 */
export function decodeMasterKey(text: string, source = 'LUMIO_MASTER_KEY'): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${source} must be 32 random bytes written as base64 or hex (generate one with \`npx lumio keygen\`).`);
  }
  return key;
}

/** A new random master key, base64-encoded. */
export function generateMasterKey(): string {
  return crypto.randomBytes(32).toString('base64');
}

/**
 * Resolves the master key: LUMIO_MASTER_KEY when set; otherwise (embedded
 * SQLite only) the key file in the data dir, created with mode 0600 on first run.
 */
export function resolveMasterKey(options: { masterKey: string | undefined; dataDir: string; databaseUrl: string | undefined }): Buffer {
  if (options.masterKey) return decodeMasterKey(options.masterKey);
  if (options.databaseUrl) throw new ConfigError('LUMIO_MASTER_KEY is required with DATABASE_URL.');
  const file = path.join(options.dataDir, MASTER_KEY_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two processes never write different keys.
    fs.writeFileSync(file, generateMasterKey() + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  return decodeMasterKey(fs.readFileSync(file, 'utf8'), file);
}

/** Derives a purpose-bound subkey, so one master key never signs and encrypts with the same bytes. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), `lumio:${purpose}`, 32));
}
