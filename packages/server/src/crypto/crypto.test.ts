import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeUserId } from '@lumio/protocol';
import { ConfigError } from '../config/config.js';
import { MASTER_KEY_FILE, decodeMasterKey, resolveMasterKey } from './master-key.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SecretBox } from './secret-box.js';
import { computeUserIdMac, verifyUserIdSignature } from './user-id-signature.js';

interface Vector {
  name: string;
  secret: string;
  userId: string | number;
  message: string;
  signature: string;
}

const vectors = (
  JSON.parse(fs.readFileSync(new URL('../../../protocol/test-vectors/user-id-signatures.json', import.meta.url), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;

describe('SecretBox', () => {
  const key = crypto.randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed, and seals the same value differently each time', () => {
    const sealed = box.seal('lsk_very-secret', 'sk_1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('lsk_very-secret');
    expect(box.open(sealed, 'sk_1')).toBe('lsk_very-secret');
    expect(box.seal('lsk_very-secret', 'sk_1')).not.toBe(sealed);
    expect(box.open(box.seal('', 'sk_1'), 'sk_1')).toBe('');
    expect(box.open(box.seal('ünïcødé 🦄', 'sk_1'), 'sk_1')).toBe('ünïcødé 🦄');
  });

  it('refuses another master key, other associated data, and any tampering', () => {
    const sealed = box.seal('lsk_very-secret', 'sk_1');
    expect(() => new SecretBox(crypto.randomBytes(32)).open(sealed, 'sk_1')).toThrow();
    expect(() => box.open(sealed, 'sk_2')).toThrow();

    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const index of [0, 12, 28, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => box.open(`v1.${tampered.toString('base64url')}`, 'sk_1'), `byte ${index}`).toThrow();
    }
    expect(() => box.open(`v1.${raw.subarray(0, raw.length - 1).toString('base64url')}`, 'sk_1')).toThrow();
    expect(() => box.open(`v2.${raw.toString('base64url')}`, 'sk_1')).toThrow();
    expect(() => box.open('garbage', 'sk_1')).toThrow();
  });
});

describe('passwords', () => {
  it('verifies the right password only, and hashes the same password differently each time', async () => {
    const [first, second] = await Promise.all([hashPassword('correct horse battery staple'), hashPassword('correct horse battery staple')]);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
    expect(first).toMatch(/^scrypt\$/);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', 'not-a-hash')).toBe(false);
  });
});

describe('resolveMasterKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-key-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a 0600 key file in the data dir on first run and reuses it afterwards', () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = resolveMasterKey({ masterKey: undefined, dataDir, databaseUrl: undefined });
    expect(first).toHaveLength(32);
    const file = path.join(dataDir, MASTER_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o077).toBe(0);

    const second = resolveMasterKey({ masterKey: undefined, dataDir, databaseUrl: undefined });
    expect(second.equals(first)).toBe(true);
  });

  it('tightens a key file that others can read', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, MASTER_KEY_FILE);
    const key = crypto.randomBytes(32);
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(resolveMasterKey({ masterKey: undefined, dataDir, databaseUrl: undefined }).equals(key)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prefers LUMIO_MASTER_KEY in base64 or hex, writes no file, and refuses a key of the wrong size', () => {
    const dataDir = tempDir();
    const key = crypto.randomBytes(32);
    expect(resolveMasterKey({ masterKey: key.toString('base64'), dataDir, databaseUrl: undefined }).equals(key)).toBe(true);
    expect(resolveMasterKey({ masterKey: key.toString('hex').toUpperCase(), dataDir, databaseUrl: undefined }).equals(key)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, MASTER_KEY_FILE))).toBe(false);

    expect(() => decodeMasterKey(crypto.randomBytes(16).toString('base64'))).toThrow(ConfigError);
    expect(() => decodeMasterKey('not a key')).toThrow(/LUMIO_MASTER_KEY/);
    expect(() => resolveMasterKey({ masterKey: undefined, dataDir, databaseUrl: 'postgres://db/lumio' })).toThrow(/LUMIO_MASTER_KEY/);
  });
});

describe('verifyUserIdSignature', () => {
  const secret = 'lsk_test-secret';
  const signature = crypto.createHmac('sha256', secret).update('user_1', 'utf8').digest('hex');

  it('accepts the hex signature in lower, upper or mixed case', () => {
    expect(verifyUserIdSignature('user_1', signature, secret)).toBe(true);
    expect(verifyUserIdSignature('user_1', signature.toUpperCase(), secret)).toBe(true);
    const mixed = [...signature].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    expect(verifyUserIdSignature('user_1', mixed, secret)).toBe(true);
  });

  it('rejects another userId, another secret, a wrong length or non-hex characters', () => {
    expect(verifyUserIdSignature('user_2', signature, secret)).toBe(false);
    expect(verifyUserIdSignature('user_1', signature, 'lsk_other')).toBe(false);
    for (const bad of [
      '',
      signature.slice(0, 63),
      `${signature}0`,
      signature.slice(0, 32),
      `${signature.slice(0, 63)}g`,
      ` ${signature.slice(1)}`,
      Buffer.from(signature, 'hex').toString('base64'),
    ]) {
      expect(verifyUserIdSignature('user_1', bad, secret), JSON.stringify(bad)).toBe(false);
    }
  });

  it('matches every shared test vector, with the userId normalised as the server does', () => {
    expect(vectors.length).toBeGreaterThan(10);
    for (const vector of vectors) {
      const userId = normalizeUserId(vector.userId);
      expect(userId, vector.name).toEqual({ ok: true, value: vector.message });
      expect(computeUserIdMac(vector.message, vector.secret).toString('hex'), vector.name).toBe(vector.signature);
      expect(verifyUserIdSignature(vector.message, vector.signature, vector.secret), vector.name).toBe(true);
      expect(verifyUserIdSignature(vector.message, vector.signature.toUpperCase(), vector.secret), vector.name).toBe(true);
      const flipped = vector.signature.slice(0, -1) + (vector.signature.endsWith('0') ? '1' : '0');
      expect(verifyUserIdSignature(vector.message, flipped, vector.secret), vector.name).toBe(false);
    }
  });
});
