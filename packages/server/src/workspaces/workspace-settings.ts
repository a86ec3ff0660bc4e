import type { WorkspaceSettingsPatch, WorkspaceSettingsView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { parseJson, type Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';

type SettingsRow = Pick<Database['workspaces'], 'browser_visible_keys'> & {
  interest_half_life_days: number;
  personalised_help: number;
  identity_alerts: number;
  identity_alert_failure_percent: number;
  identity_alert_min_attempts: number;
};
type StoredSettings = Omit<WorkspaceSettingsView, 'emailConfigured'>;

/**
 * A workspace's own settings of issue 16: which server-set property keys the
 * browser may read back, how fast interests decay, and whether help ranks
 * per viewer; and of issue 17, the identity health alert by email
 * (identity/identity-alerts.ts). Other features read the columns; only this changes them
 * (owner/admin, audited with the values before and after).
 */
export class WorkspaceSettings {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'mailer'>,
    private readonly audit: AuditLog,
  ) {}

  /** The settings of a workspace; `not_found` when it does not exist. */
  async get(workspaceId: string): Promise<WorkspaceSettingsView> {
    return { ...viewOf(await this.row(workspaceId)), emailConfigured: this.deps.mailer.configured };
  }

  /**
   * The custom property keys whose trusted (server API, signed token) values
   * a verified browser session may read back; empty for an unknown workspace.
   */
  async browserVisibleKeys(workspaceId: string): Promise<ReadonlySet<string>> {
    const row = await this.deps.db.selectFrom('workspaces').select('browser_visible_keys').where('id', '=', workspaceId).executeTakeFirst();
    return new Set(row ? keysOf(row.browser_visible_keys) : []);
  }

  /** Changes the settings named in `patch` (already checked by workspaceSettingsPatchBody); the rest stay. */
  async update(workspaceId: string, patch: WorkspaceSettingsPatch, actor: Actor): Promise<WorkspaceSettingsView> {
    return this.deps.db.transaction().execute(async (trx) => {
      const before = viewOf(await this.row(workspaceId, trx));
      const after: StoredSettings = {
        // Each key once, in the order given: the list is a set the team reads.
        browserVisibleKeys: patch.browserVisibleKeys ? [...new Set(patch.browserVisibleKeys)] : before.browserVisibleKeys,
        interestHalfLifeDays: patch.interestHalfLifeDays ?? before.interestHalfLifeDays,
        personalisedHelp: patch.personalisedHelp ?? before.personalisedHelp,
        identityAlerts: patch.identityAlerts ?? before.identityAlerts,
        identityAlertFailurePercent: patch.identityAlertFailurePercent ?? before.identityAlertFailurePercent,
        identityAlertMinAttempts: patch.identityAlertMinAttempts ?? before.identityAlertMinAttempts,
      };
      const result = { ...after, emailConfigured: this.deps.mailer.configured };
      const changed = (Object.keys(after) as Array<keyof StoredSettings>).filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
      );
      if (changed.length === 0) return result;
      await trx
        .updateTable('workspaces')
        .set({
          browser_visible_keys: after.browserVisibleKeys.length ? this.deps.adapter.json(after.browserVisibleKeys) : null,
          interest_half_life_days: after.interestHalfLifeDays,
          personalised_help: after.personalisedHelp ? 1 : 0,
          identity_alerts: after.identityAlerts ? 1 : 0,
          identity_alert_failure_percent: after.identityAlertFailurePercent,
          identity_alert_min_attempts: after.identityAlertMinAttempts,
        })
        .where('id', '=', workspaceId)
        .execute();
      const pick = (view: StoredSettings) => Object.fromEntries(changed.map((key) => [key, view[key]]));
      await this.audit.record(
        workspaceId,
        actor,
        'workspace.settings.update',
        { type: 'workspace', id: workspaceId },
        { before: pick(before), after: pick(after) },
        trx,
      );
      return result;
    });
  }

  private async row(workspaceId: string, db = this.deps.db): Promise<SettingsRow> {
    const row = await db
      .selectFrom('workspaces')
      .select([
        'browser_visible_keys',
        'interest_half_life_days',
        'personalised_help',
        'identity_alerts',
        'identity_alert_failure_percent',
        'identity_alert_min_attempts',
      ])
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) throw new LumioError('not_found', 'No such workspace.');
    return row;
  }
}

function viewOf(row: SettingsRow): StoredSettings {
  return {
    browserVisibleKeys: keysOf(row.browser_visible_keys),
    interestHalfLifeDays: Number(row.interest_half_life_days),
    personalisedHelp: Number(row.personalised_help) === 1,
    identityAlerts: Number(row.identity_alerts) === 1,
    identityAlertFailurePercent: Number(row.identity_alert_failure_percent),
    identityAlertMinAttempts: Number(row.identity_alert_min_attempts),
  };
}

// null (the column's default) is the empty list; anything but strings is ignored, never trusted.
function keysOf(value: unknown): string[] {
  const keys = parseJson<unknown>(value, []);
  return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : [];
}
