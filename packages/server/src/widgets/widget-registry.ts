import type { SecretState, VerificationMode } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { parseJson } from '../db/schema.js';
import { secretState } from './signing-secrets.js';
import { storedAppearance, type WidgetAppearance } from './widget-appearance.js';

/** What the public widget API needs to know about a widget, decrypted and cached. */
export interface WidgetRuntime {
  id: string;
  workspaceId: string;
  allowedOrigins: string[];
  verificationMode: VerificationMode;
  appearance: WidgetAppearance;
  /** Secrets still kept; their state is re-evaluated at use, since grace periods end by time. */
  secrets: Array<{ keyId: string; secret: string; expiresAt: number | null; revokedAt: number | null }>;
}

/** The notification channel that tells every process a widget changed. */
export const WIDGET_CHANGED_CHANNEL = 'lumio_widget_changed';
// A safety net for a notification lost while the LISTEN connection reconnects.
const MAX_AGE_MS = 60_000;

/**
 * Caches widgets and their decrypted secrets for the public API, so identify
 * needs no database read for them. Invalidated across processes by
 * LISTEN/NOTIFY (in-process on SQLite).
 */
export class WidgetRegistry {
  private readonly cache = new Map<string, { at: number; value: Promise<WidgetRuntime | null> }>();

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'secretBox' | 'adapter'>) {}

  /** Subscribes to change notifications; call once at start-up. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(WIDGET_CHANGED_CHANNEL, (widgetId) => this.cache.delete(widgetId));
  }

  /** Tells every process (this one at once) that a widget or its secrets changed. */
  async invalidate(widgetId: string): Promise<void> {
    this.cache.delete(widgetId);
    await this.deps.adapter.notifier.publish(WIDGET_CHANGED_CHANNEL, widgetId);
  }

  /** The widget by public id, or null. */
  get(widgetId: string): Promise<WidgetRuntime | null> {
    const now = this.deps.clock.now();
    const hit = this.cache.get(widgetId);
    if (hit && now - hit.at < MAX_AGE_MS) return hit.value;
    const value = this.load(widgetId);
    this.cache.set(widgetId, { at: now, value });
    value.catch(() => this.cache.delete(widgetId));
    return value;
  }

  private async load(widgetId: string): Promise<WidgetRuntime | null> {
    if (typeof widgetId !== 'string' || widgetId.length > 64) return null;
    const row = await this.deps.db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirst();
    if (!row) return null;
    const secrets = await this.deps.db
      .selectFrom('signing_secrets')
      .select(['id', 'ciphertext', 'expires_at', 'revoked_at'])
      .where('widget_id', '=', widgetId)
      .where('revoked_at', 'is', null)
      .where('ciphertext', 'is not', null)
      .orderBy('created_at', 'desc')
      .execute();
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      allowedOrigins: parseJson<string[]>(row.allowed_origins, []),
      verificationMode: row.verification_mode as VerificationMode,
      appearance: storedAppearance(parseJson<WidgetAppearance | null>(row.appearance, null)),
      secrets: secrets.map((s) => ({
        keyId: s.id,
        secret: this.deps.secretBox.open(s.ciphertext!, s.id),
        expiresAt: s.expires_at,
        revokedAt: s.revoked_at,
      })),
    };
  }
}

/** The secrets of a runtime widget that verify at `now` (current and in grace). */
export function verifyingSecrets(widget: WidgetRuntime, now: number): Array<{ keyId: string; secret: string; state: SecretState }> {
  const out: Array<{ keyId: string; secret: string; state: SecretState }> = [];
  for (const s of widget.secrets) {
    const state = secretState({ expires_at: s.expiresAt, revoked_at: s.revokedAt }, now);
    if (state === 'current' || state === 'grace') out.push({ keyId: s.keyId, secret: s.secret, state });
  }
  return out;
}
