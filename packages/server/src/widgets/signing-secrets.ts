import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RevealedSecret, SecretState, SecretValue, SecretView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { newId } from '../crypto/tokens.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';

/** A decrypted secret, for verification inside the server only. */
export interface SecretMaterial {
  keyId: string;
  secret: string;
  state: SecretState;
}

// Listing order: the key in use first, then those still verifying, then the dead.
const STATE_ORDER: Record<SecretState, number> = { current: 0, grace: 1, retired: 2, revoked: 3 };

/** How long retired and revoked secrets stay (encrypted) for diagnosing failures. */
export const DIAGNOSIS_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Generates a new signing secret value: `lsk_` + 256 random bits. */
export function generateSigningSecret(): string {
  return `lsk_${crypto.randomBytes(32).toString('base64url')}`;
}

/** The state of a secret row at a given time. */
export function secretState(row: { expires_at: number | null; revoked_at: number | null }, now: number): SecretState {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at === null) return 'current';
  return row.expires_at > now ? 'grace' : 'retired';
}

/**
 * Signing secrets of widgets: created with the widget, rotated with a grace
 * period, revoked at once; encrypted at rest, values shown only on creation,
 * rotation or an audited reveal.
 */
export class SigningSecrets {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'secretBox' | 'adapter'>,
    private readonly audit: AuditLog,
    private readonly onChange: (widgetId: string) => Promise<void>,
  ) {}

  /** Inserts a new current secret for a widget; returns its value (once). */
  async insert(workspaceId: string, widgetId: string, db: Kysely<Database> = this.deps.db): Promise<SecretValue> {
    const keyId = newId('sk', 9);
    const secret = generateSigningSecret();
    await db
      .insertInto('signing_secrets')
      .values({
        id: keyId,
        widget_id: widgetId,
        workspace_id: workspaceId,
        // The key id is the associated data: a ciphertext moved to another row will not open.
        ciphertext: this.deps.secretBox.seal(secret, keyId),
        created_at: this.deps.clock.now(),
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    return { keyId, secret };
  }

  /** Lists a widget's secrets (metadata only), newest first, hiding ones purged after 30 days. */
  async list(workspaceId: string, widgetId: string): Promise<SecretView[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db
      .selectFrom('signing_secrets')
      .select(['id', 'created_at', 'last_used_at', 'expires_at', 'revoked_at', 'ciphertext'])
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '=', widgetId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows
      .filter((r) => r.ciphertext !== null)
      .map((r) => ({
        keyId: r.id,
        state: secretState(r, now),
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        expiresAt: r.expires_at,
        revokedAt: r.revoked_at,
      }))
      .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt - a.createdAt);
  }

  /** Reveals the current secret(s) of a widget; the caller has checked role and re-authentication. Audited. */
  async reveal(workspaceId: string, widgetId: string, actor: Actor): Promise<RevealedSecret[]> {
    const material = (await this.loadMaterial(workspaceId, widgetId)).filter((m) => m.state === 'current' || m.state === 'grace');
    await this.audit.record(
      workspaceId,
      actor,
      'secret.reveal',
      { type: 'widget', id: widgetId },
      { keyIds: material.map((m) => m.keyId) },
    );
    return material;
  }

  /**
   * Records a reveal refused for a wrong password at the re-ask: who tried,
   * from where, for which widget; never the password tried. The caller
   * records only attempts the sign-in throttle let through, so its limits
   * bound how many such entries anyone can write.
   */
  async recordDeniedReveal(workspaceId: string, widgetId: string, actor: Actor): Promise<void> {
    await this.audit.record(workspaceId, actor, 'secret.reveal_denied', { type: 'widget', id: widgetId }, { reason: 'wrong_password' });
  }

  /**
   * Makes a new secret current; the previous current ones keep verifying for
   * `graceSeconds` (0 retires them now). Returns the new value once.
   */
  async rotate(
    workspaceId: string,
    widgetId: string,
    graceSeconds: number,
    actor: Actor,
  ): Promise<{ keyId: string; secret: string; previousExpireAt: number }> {
    const now = this.deps.clock.now();
    const expiresAt = now + graceSeconds * 1000;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const retiring = await trx
        .selectFrom('signing_secrets')
        .select('id')
        .where('widget_id', '=', widgetId)
        .where('workspace_id', '=', workspaceId)
        .where('revoked_at', 'is', null)
        .where('expires_at', 'is', null)
        .execute();
      await trx
        .updateTable('signing_secrets')
        .set({ expires_at: expiresAt })
        .where('widget_id', '=', widgetId)
        .where('workspace_id', '=', workspaceId)
        .where('revoked_at', 'is', null)
        .where('expires_at', 'is', null)
        .execute();
      const created = await this.insert(workspaceId, widgetId, trx);
      await this.audit.record(
        workspaceId,
        actor,
        'secret.rotate',
        { type: 'widget', id: widgetId },
        { newKeyId: created.keyId, retiringKeyIds: retiring.map((r) => r.id), graceSeconds },
        trx,
      );
      return created;
    });
    await this.onChange(widgetId);
    return { ...result, previousExpireAt: expiresAt };
  }

  /** Revokes a secret at once: it stops verifying immediately. */
  async revoke(workspaceId: string, widgetId: string, keyId: string, actor: Actor): Promise<void> {
    const now = this.deps.clock.now();
    const result = await this.deps.db
      .updateTable('signing_secrets')
      .set({ revoked_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '=', widgetId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LumioError('secret_not_found', 'No such active signing secret for this widget.');
    await this.audit.record(workspaceId, actor, 'secret.revoke', { type: 'widget', id: widgetId }, { keyId });
    await this.onChange(widgetId);
  }

  /** Decrypts every still-kept secret of a widget (verification and diagnosis). */
  async loadMaterial(workspaceId: string, widgetId: string): Promise<SecretMaterial[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db
      .selectFrom('signing_secrets')
      .select(['id', 'ciphertext', 'expires_at', 'revoked_at'])
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '=', widgetId)
      .where('ciphertext', 'is not', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({ keyId: r.id, secret: this.deps.secretBox.open(r.ciphertext!, r.id), state: secretState(r, now) }));
  }

  /** Decrypts the verifying secrets of the other widgets of a workspace (diagnosis only). */
  async loadSiblingMaterial(workspaceId: string, widgetId: string): Promise<Array<SecretMaterial & { widgetId: string }>> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db
      .selectFrom('signing_secrets')
      .select(['id', 'widget_id', 'ciphertext', 'expires_at', 'revoked_at'])
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '!=', widgetId)
      .where('ciphertext', 'is not', null)
      .execute();
    return rows
      .map((r) => ({
        keyId: r.id,
        widgetId: r.widget_id,
        secret: this.deps.secretBox.open(r.ciphertext!, r.id),
        state: secretState(r, now),
      }))
      .filter((m) => m.state === 'current' || m.state === 'grace');
  }

  /** Records that a secret verified a signature (at most once a minute per key, by the caller). */
  async touch(keyIds: string[], at: number): Promise<void> {
    if (keyIds.length === 0) return;
    await this.deps.db.updateTable('signing_secrets').set({ last_used_at: at }).where('id', 'in', keyIds).execute();
  }

  /** Drops the ciphertext of secrets retired or revoked more than 30 days ago. */
  async purgeExpired(): Promise<number> {
    const cutoff = this.deps.clock.now() - DIAGNOSIS_RETENTION_MS;
    const result = await this.deps.db
      .updateTable('signing_secrets')
      .set({ ciphertext: null })
      .where('ciphertext', 'is not', null)
      .where((eb) => eb.or([eb('revoked_at', '<', cutoff), eb('expires_at', '<', cutoff)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
