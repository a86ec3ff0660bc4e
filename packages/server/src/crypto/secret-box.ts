import crypto from 'node:crypto';
import { deriveKey } from './master-key.js';

const VERSION = 'v1';

/**
 * AES-256-GCM envelope for secrets at rest. The associated data binds each
 * ciphertext to its row (e.g. the secret's key id), so a ciphertext copied
 * into another row does not decrypt.
 *
 * @example const box = new SecretBox(masterKey); box.open(box.seal('s3cret', 'sk_1'), 'sk_1');
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    this.#key = deriveKey(masterKey, 'secret-box');
  }

  /** Encrypts a UTF-8 string; returns `v1.<base64url iv|tag|ciphertext>`. */
  seal(plaintext: string, associatedData: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Decrypts what {@link seal} produced; throws if the key or associated data differ. */
  open(envelope: string, associatedData: string): string {
    const [version, payload] = envelope.split('.');
    if (version !== VERSION || !payload) throw new Error('Unknown secret envelope format');
    const raw = Buffer.from(payload, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
