import type { Kysely } from 'kysely';
import type { CompanyInput, IdentifyPayload, IdentityState, ProfileOutcome, TrustLevel, ValueSource } from '@lumio/protocol';
import type { Database } from '../db/schema.js';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { verifyUserIdSignature } from '../crypto/user-id-signature.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { ProfileUpdate, UsersStore } from '../users/users-store.js';
import { identifyTarget, type UserAliases } from '../users/user-aliases.js';
import { recordUserChange } from '../users/user-webhooks.js';
import type { SigningSecrets } from '../widgets/signing-secrets.js';
import { verifyingSecrets, type WidgetRuntime } from '../widgets/widget-registry.js';
import type { IdentityLog } from './identity-log.js';
import { identityTokenKeyId, verifyIdentityToken } from './identity-token.js';
import { diagnoseSignature } from './signature-diagnosis.js';
import { CompaniesStore, companiesNeedWrite, companyKey, type CompanyWrite } from '../companies/companies-store.js';
import type { SessionClaims, SessionTokens } from './session-tokens.js';

/** The answer to a successful identify. */
export interface IdentifyResult {
  state: Exclude<IdentityState, 'anonymous'>;
  userId: string;
  anonymousId: string;
  /** Whether the anonymous id is linked to this user (its earlier activity is theirs). */
  linked: boolean;
  token: string;
  expiresAt: number;
  /** The profile half: refused as a whole (nothing stored) when a field was invalid. */
  profile: ProfileOutcome;
}

/**
 * Runs in the transaction that links (or re-links) an anonymous id to a user:
 * what that browser did while anonymous becomes the user's. `previousUserId`
 * is the user an unverified claim had linked it to, when a verified identify
 * takes the link over.
 */
export type OnLink = (
  db: Kysely<Database>,
  link: { workspaceId: string; anonymousId: string; userId: string; state: TrustLevel; previousUserId: string | null },
) => Promise<void>;

// last_used_at of a secret is informational: write it at most once a minute per key and process.
const KEY_TOUCH_INTERVAL_MS = 60_000;

/**
 * The identify rules of DESIGN.md: a valid signature or token verifies, an
 * unsigned call identifies only where the widget allows it, anything else
 * leaves the session anonymous and is recorded with its diagnosis.
 */
export class IdentifyService {
  private readonly keyTouched = new Map<string, number>();
  private readonly companies: CompaniesStore;

  constructor(
    private readonly deps: Pick<AppDeps, 'clock' | 'config' | 'metrics' | 'logger' | 'db' | 'adapter'>,
    private readonly users: UsersStore,
    private readonly secrets: SigningSecrets,
    private readonly identityLog: IdentityLog,
    private readonly sessionTokens: SessionTokens,
    private readonly writes: GroupCommit,
    private readonly onLink: OnLink | null = null,
    private readonly aliases: UserAliases | null = null,
  ) {
    this.companies = new CompaniesStore(deps);
  }

  /**
   * Runs identify for a session of `widget`; throws a LumioError on refusal
   * (already logged). `admit` runs once the signature or token has verified
   * (or an unsigned identify is allowed), before anything is read or written:
   * it charges the widget-wide budget, which a failed identify never touches.
   */
  async identify(
    widget: WidgetRuntime,
    session: SessionClaims,
    payload: IdentifyPayload,
    ip: string | null,
    admit: () => Promise<void> = async () => {},
  ): Promise<IdentifyResult> {
    const now = this.deps.clock.now();
    const base = { workspaceId: widget.workspaceId, widgetId: widget.id, anonymousId: session.anonymousId, ip, at: now };
    let userId = payload.userId;
    let state: TrustLevel;
    let keyId: string | null = null;
    const clearText = { traits: payload.traits, properties: payload.properties };
    let updates: ProfileUpdate[] = [];
    let profileErrors = payload.profileErrors ?? [];
    // Companies follow the profile's sources; a membership is as strong as the proof it came with (docs/companies.md).
    let companyWrites: CompanyWrite[] = [];
    try {
      if (payload.token !== undefined) {
        const kid = identityTokenKeyId(payload.token);
        const key = verifyingSecrets(widget, now).find((s) => s.keyId === kid);
        if (!key) throw await this.unknownTokenKey(widget, kid, userId ?? null, base);
        const claims = await verifyIdentityToken(payload.token, key.secret, now, this.deps.config.identityTokenMaxLifetimeSeconds);
        if (userId !== undefined && userId !== claims.userId) {
          throw new LumioError('invalid_identity_token', "The token's sub differs from the userId sent beside it.");
        }
        userId = claims.userId;
        // Values in the token are signed by the host: trusted, and applied after
        // the page's clear-text values (claimed) so they override them.
        profileErrors = [...profileErrors, ...claims.profileErrors];
        // A refused profile is refused as a whole: neither the clear-text part nor the token's claims are applied.
        updates = profileErrors.length
          ? [{ traits: {}, properties: {}, source: 'claimed' }]
          : [
              { ...clearText, source: 'claimed' },
              { traits: claims.traits, properties: claims.properties, source: 'trusted' },
            ];
        if (!profileErrors.length)
          companyWrites = [...writesOf(payload.companies ?? [], 'claimed'), ...writesOf(claims.companies, 'trusted')];
        state = 'verified';
        keyId = kid;
      } else if (payload.signature !== undefined) {
        const match = verifyingSecrets(widget, now).find((s) => verifyUserIdSignature(userId!, payload.signature!, s.secret));
        if (!match) throw await this.badSignature(widget, userId!, payload, base);
        state = 'verified';
        updates = [{ ...clearText, source: 'claimed' }];
        // The HMAC covers the userId only: the companies sent beside it are a claim.
        companyWrites = writesOf(payload.companies ?? [], 'claimed');
        keyId = match.keyId;
      } else if (widget.verificationMode === 'required') {
        throw new LumioError('signature_required');
      } else {
        state = 'identified';
        updates = [{ ...clearText, source: 'unverified' }];
        companyWrites = writesOf(payload.companies ?? [], 'unverified');
      }
    } catch (error) {
      if (error instanceof LumioError && !(error as { logged?: boolean }).logged) {
        this.record({ ...base, outcome: 'failed', reason: error.code, diagnosis: null, userId: userId ?? null, keyId: null });
      }
      throw error;
    }

    await admit();
    // An old id merged into another is answered as the survivor (the signature was checked against the id as sent).
    let stored: { userId: string; linked: boolean };
    try {
      stored = await this.store(widget, session, userId!, updates, state, companyWrites);
    } catch (error) {
      // Merged between the read and the write: once more, now that the alias is visible.
      if (!(error instanceof MergedMeanwhile)) throw error;
      stored = await this.store(widget, session, userId!, updates, state, companyWrites);
    }
    const { userId: finalUserId, linked } = stored;
    this.record({ ...base, outcome: state, reason: 'ok', diagnosis: null, userId: finalUserId, keyId });
    if (keyId) this.touchKey(keyId, now);

    const expiresAt = now + this.deps.config.widgetSessionSeconds * 1000;
    const claims: SessionClaims = {
      widgetId: widget.id,
      workspaceId: widget.workspaceId,
      anonymousId: session.anonymousId,
      state,
      userId: finalUserId,
      issuedAt: now,
      expiresAt,
    };
    if (keyId) claims.keyId = keyId;
    const errors = profileErrors;
    return {
      state,
      userId: finalUserId,
      anonymousId: session.anonymousId,
      linked,
      token: this.sessionTokens.sign(claims),
      expiresAt,
      profile: { accepted: errors.length === 0, errors },
    };
  }

  /**
   * Stores what an identify changes, for `sentUserId` or the survivor it was
   * merged into; a repeat identify (nothing new) is answered without a
   * transaction. Throws MergedMeanwhile when a merge made the id an alias
   * between the read and the write (the write is rolled back).
   */
  private async store(
    widget: WidgetRuntime,
    session: SessionClaims,
    sentUserId: string,
    updates: ProfileUpdate[],
    state: TrustLevel,
    companyWrites: readonly CompanyWrite[],
  ): Promise<{ userId: string; linked: boolean }> {
    const workspaceId = widget.workspaceId;
    const { userId: finalUserId, snapshot } = await identifyTarget(this.users, this.aliases, workspaceId, sentUserId, session.anonymousId);
    // Read first: a repeat identify (nothing new) is answered without a transaction.
    const mustWrite =
      this.users.needsWrite(snapshot, finalUserId, updates, state) ||
      (await companiesNeedWrite(this.deps.db, workspaceId, finalUserId, companyWrites));
    // Run beside the other identifies of a transaction, except one of the same user or browser (db/group-commit.ts).
    const userKey = `${workspaceId}\u0000${finalUserId}`;
    const linked = mustWrite
      ? await this.writes.submit(
          async (trx) => {
            const now = this.deps.clock.now();
            // What the snapshot lacked is inserted without a read first (users-store.ts: `absent`).
            const applied = await this.users.applyProfile(trx, workspaceId, finalUserId, updates, state, { absent: !snapshot.row });
            // A new user's id may be an old one merged away since it was resolved (the insert answers that too).
            if (applied.aliased) throw new MergedMeanwhile();
            await recordUserChange(trx, workspaceId, applied.previous, applied.user, now);
            for (const { company, source } of companyWrites) {
              await this.companies.upsert(trx, workspaceId, company, source, now);
              await this.companies.join(trx, workspaceId, finalUserId, company.id, source, now);
            }
            const before = snapshot.link;
            const linkedNow = await this.users.link(trx, widget.workspaceId, session.anonymousId, finalUserId, state, widget.id, {
              absent: !before,
            });
            // Only on this write path: a repeat identify (nothing to write) has merged before.
            if (linkedNow) {
              const previousUserId = before && before.user_id !== finalUserId ? before.user_id : null;
              await this.onLink?.(trx, {
                workspaceId: widget.workspaceId,
                anonymousId: session.anonymousId,
                userId: finalUserId,
                state,
                previousUserId,
              });
            }
            return linkedNow;
          },
          userKey,
          [
            userKey,
            `${workspaceId}\u0000a:${session.anonymousId}`,
            ...companyWrites.map(({ company }) => companyKey(workspaceId, company.id)),
          ],
        )
      : snapshot.link?.user_id === finalUserId;
    return { userId: finalUserId, linked };
  }

  /** Records a failure that happened before identify's own checks (e.g. invalid payload). */
  recordFailure(widget: WidgetRuntime, session: SessionClaims | null, code: string, ip: string | null, userId: string | null = null): void {
    this.record({
      workspaceId: widget.workspaceId,
      widgetId: widget.id,
      anonymousId: session?.anonymousId ?? null,
      ip,
      at: this.deps.clock.now(),
      outcome: 'failed',
      reason: code,
      diagnosis: null,
      userId,
      keyId: null,
    });
  }

  private record(entry: Parameters<IdentityLog['record']>[0]): void {
    this.identityLog.record(entry);
    this.deps.metrics.identifyOutcomes.inc({ outcome: entry.outcome, reason: entry.reason });
  }

  private async badSignature(widget: WidgetRuntime, userId: string, payload: IdentifyPayload, base: LogBase): Promise<LumioError> {
    let diagnosis = null;
    let keyId = null;
    try {
      const [own, siblings] = await Promise.all([
        this.secrets.loadMaterial(widget.workspaceId, widget.id),
        this.secrets.loadSiblingMaterial(widget.workspaceId, widget.id),
      ]);
      ({ diagnosis, keyId } = diagnoseSignature({ userId, signature: payload.signature!, email: payload.traits.email, own, siblings }));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'signature diagnosis failed');
    }
    this.record({ ...base, outcome: 'failed', reason: 'invalid_signature', diagnosis, userId, keyId });
    return logged(new LumioError('invalid_signature'));
  }

  private async unknownTokenKey(widget: WidgetRuntime, kid: string, userId: string | null, base: LogBase): Promise<LumioError> {
    const own = await this.secrets.loadMaterial(widget.workspaceId, widget.id);
    const known = own.find((s) => s.keyId === kid);
    let diagnosis: string | null = null;
    if (known?.state === 'retired') diagnosis = 'retired_secret';
    else if (known?.state === 'revoked') diagnosis = 'revoked_secret';
    else if ((await this.secrets.loadSiblingMaterial(widget.workspaceId, widget.id)).some((s) => s.keyId === kid))
      diagnosis = 'other_widget_secret';
    this.record({ ...base, outcome: 'failed', reason: 'invalid_identity_token', diagnosis, userId, keyId: known ? kid : null });
    return logged(
      new LumioError(
        'invalid_identity_token',
        'The identity token is signed with a key this widget does not accept (unknown, retired or revoked kid).',
      ),
    );
  }

  private touchKey(keyId: string, now: number): void {
    if (now - (this.keyTouched.get(keyId) ?? 0) < KEY_TOUCH_INTERVAL_MS) return;
    this.keyTouched.set(keyId, now);
    this.secrets.touch([keyId], now).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not record secret use'));
  }
}

function writesOf(companies: readonly CompanyInput[], source: ValueSource): CompanyWrite[] {
  return companies.map((company) => ({ company, source }));
}

/** A merge made the identified id an alias between identify's read and its write. */
class MergedMeanwhile extends Error {}

type LogBase = { workspaceId: string; widgetId: string; anonymousId: string; ip: string | null; at: number };

function logged(error: LumioError): LumioError {
  (error as { logged?: boolean }).logged = true;
  return error;
}
