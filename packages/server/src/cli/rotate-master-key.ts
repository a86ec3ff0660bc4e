import fs from 'node:fs';
import path from 'node:path';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { SecretBox } from '../crypto/secret-box.js';
import { openWebhookSecret, sealWebhookSecret } from '../webhooks/webhook-signature.js';

/**
 * Re-encrypts every stored secret from one master key to another in one
 * transaction: either all rows move to the new key or none do.
 */
export async function reencryptSecrets(adapter: DialectAdapter, oldKey: Buffer, newKey: Buffer): Promise<number> {
  const from = new SecretBox(oldKey);
  const to = new SecretBox(newKey);
  return adapter.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('signing_secrets').select(['id', 'ciphertext']).where('ciphertext', 'is not', null).execute();
    for (const row of rows) {
      const plaintext = from.open(row.ciphertext!, row.id);
      await trx
        .updateTable('signing_secrets')
        .set({ ciphertext: to.seal(plaintext, row.id) })
        .where('id', '=', row.id)
        .execute();
    }
    const endpoints = await trx.selectFrom('webhook_endpoints').select(['id', 'secret_ciphertext']).execute();
    for (const row of endpoints) {
      const plaintext = openWebhookSecret(from, row.id, row.secret_ciphertext);
      await trx
        .updateTable('webhook_endpoints')
        .set({ secret_ciphertext: sealWebhookSecret(to, row.id, plaintext) })
        .where('id', '=', row.id)
        .execute();
    }
    return rows.length + endpoints.length;
  });
}

/** Replaces the key file atomically (write, fsync, rename), keeping mode 0600. */
export function writeKeyFile(file: string, keyText: string): void {
  const tmp = path.join(path.dirname(file), `.master.key.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  fs.writeSync(fd, keyText + '\n');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}
