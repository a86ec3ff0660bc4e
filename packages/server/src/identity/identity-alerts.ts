import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { IdentityLog } from './identity-log.js';
import { BackgroundTask, type StopSignal } from '../ops/background-task.js';
import { recordWebhookEvent, webhookEndpointsOf, type WebhookEndpointInterest } from '../webhooks/webhook-outbox.js';

const HOUR_MS = 3600_000;
// Checked every few minutes: an alert comes at most this long after the rate crossed the threshold.
const CHECK_EVERY_MS = 5 * 60_000;
const FIRST_CHECK_AFTER_MS = 60_000;

/** What one check did, for tests and logs. */
export interface IdentityAlertRun {
  /** Workspaces over their threshold whose alert this process claimed and sent. */
  alerted: string[];
  emails: number;
}

type Counts = { total: number; failed: number; worstWidget: string | null };

/**
 * The optional identity health alert (off by default, per workspace): every
 * few minutes, each workspace that turned it on has its identify failure rate
 * over the last hour computed from the identity log's hourly counts (what the
 * identity health report reads); when at least the minimum number of
 * attempts were made and the rate reaches the threshold, its owners and
 * admins get one email each, linking to the identity health of the widget
 * with the most failures.
 *
 * The same alert is an `identity.failure_spike` webhook event, recorded in
 * the claiming transaction, whether or not outgoing email is configured:
 * the workspace's alert setting (on, threshold, fewest attempts) decides
 * both. A workspace with neither email nor an endpoint wanting the event is
 * not checked at all.
 *
 * At most one alert per workspace an hour, across processes: sending is
 * claimed by a conditional UPDATE of `identity_alert_sent_at`, so of two
 * processes checking at once only one sends (emails and webhook event).
 *
 * "The last hour" is counted in whole hours, as the counts are kept: the
 * current clock hour and the one before it (the hours that overlap the last
 * 60 minutes).
 */
export class IdentityAlerts {
  private readonly task: BackgroundTask<IdentityAlertRun>;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'mailer'>,
    private readonly audit: AuditLog,
    private readonly identityLog: IdentityLog,
  ) {
    this.task = new BackgroundTask(
      { name: 'identity alerts', firstRunDelayMs: FIRST_CHECK_AFTER_MS, intervalMs: CHECK_EVERY_MS, logger: deps.logger },
      (signal) => this.check(signal),
    );
  }

  /** Checks shortly after start-up, then every five minutes; the timers never keep the process alive. */
  start(): void {
    this.task.start();
  }

  /** Stops the timers; a run in progress ends after its current workspace. */
  stop(): void {
    this.task.stop();
  }

  /** Checks now (or waits for the check in progress). */
  runOnce(): Promise<IdentityAlertRun> {
    return this.task.runOnce();
  }

  private async check(signal: StopSignal): Promise<IdentityAlertRun> {
    const run: IdentityAlertRun = { alerted: [], emails: 0 };
    const workspaces = await this.deps.db
      .selectFrom('workspaces')
      .select(['id', 'name', 'identity_alert_failure_percent', 'identity_alert_min_attempts', 'identity_alert_sent_at'])
      .where('identity_alerts', '=', 1)
      .execute();
    if (workspaces.length === 0) return run;
    // This process's own counts of the last quarter second are written first.
    await this.identityLog.flush();
    const now = this.deps.clock.now();
    for (const workspace of workspaces) {
      if (signal.stopped) break;
      // Alerted within the hour: not even counted.
      if (workspace.identity_alert_sent_at !== null && Number(workspace.identity_alert_sent_at) > now - HOUR_MS) continue;
      const endpoints = (await webhookEndpointsOf(this.deps.db, workspace.id)).filter(
        (e) => e.events.includes('*') || e.events.includes('identity.failure_spike'),
      );
      // Nobody to tell: no email and no endpoint wants the event.
      if (!this.deps.mailer.configured && endpoints.length === 0) continue;
      const counts = await this.counts(workspace.id, now);
      const percent = Number(workspace.identity_alert_failure_percent);
      if (counts.total < Number(workspace.identity_alert_min_attempts) || counts.failed * 100 < percent * counts.total) continue;
      if (!(await this.claim(workspace.id, counts, percent, now, endpoints))) continue;
      const sent = await this.send(workspace, counts, now);
      run.alerted.push(workspace.id);
      run.emails += sent;
    }
    return run;
  }

  // Identify attempts and failures of the workspace over the hours that overlap the last 60 minutes.
  private async counts(workspaceId: string, now: number): Promise<Counts> {
    const rows = await this.deps.db
      .selectFrom('identity_stats')
      .select(['widget_id', 'outcome'])
      .select((eb) => eb.fn.sum<string | number>('count').as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('hour', '>', now - 2 * HOUR_MS)
      .where('hour', '<=', now)
      .groupBy(['widget_id', 'outcome'])
      .execute();
    const failedByWidget = new Map<string, number>();
    let total = 0;
    for (const row of rows) {
      const n = Number(row.n);
      total += n;
      if (row.outcome === 'failed') failedByWidget.set(row.widget_id, (failedByWidget.get(row.widget_id) ?? 0) + n);
    }
    let worstWidget: string | null = null;
    let failed = 0;
    for (const [widgetId, n] of failedByWidget) {
      failed += n;
      if (worstWidget === null || n > failedByWidget.get(worstWidget)!) worstWidget = widgetId;
    }
    return { total, failed, worstWidget };
  }

  // One conditional UPDATE: true for the one process that moved the "last alert" time; the
  // webhook event is recorded in the same transaction, so it is claimed once with the email.
  private async claim(
    workspaceId: string,
    counts: Counts,
    thresholdPercent: number,
    now: number,
    endpoints: WebhookEndpointInterest[],
  ): Promise<boolean> {
    const claimIn = async (db: Kysely<Database>) => {
      const result = await db
        .updateTable('workspaces')
        .set({ identity_alert_sent_at: now })
        .where('id', '=', workspaceId)
        .where('identity_alerts', '=', 1)
        .where((eb) => eb.or([eb('identity_alert_sent_at', 'is', null), eb('identity_alert_sent_at', '<=', now - HOUR_MS)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    };
    // Email only: the one statement, no transaction held open.
    if (endpoints.length === 0) return claimIn(this.deps.db);
    return this.deps.db.transaction().execute(async (trx) => {
      if (!(await claimIn(trx))) return false;
      // NOTE: the payload shape is docs/webhooks.md's (identity.failure_spike); the window is counts()'s.
      await recordWebhookEvent(
        trx,
        workspaceId,
        'identity.failure_spike',
        {
          widget_id: counts.worstWidget,
          window_start: new Date(Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS).toISOString(),
          window_end: new Date(now).toISOString(),
          attempts: counts.total,
          failures: counts.failed,
          failure_percent: Math.round((counts.failed * 1000) / counts.total) / 10,
          threshold_percent: thresholdPercent,
        },
        now,
        endpoints,
      );
      return true;
    });
  }

  private async send(workspace: { id: string; name: string }, counts: Counts, now: number): Promise<number> {
    const rate = Math.round((counts.failed * 100) / counts.total);
    // Without outgoing email the alert went out as the webhook event alone.
    const recipients = this.deps.mailer.configured ? await this.recipients(workspace.id) : [];
    let sent = 0;
    if (recipients.length > 0) {
      const health = counts.worstWidget
        ? this.deps.mailer.link(`/app/w/${workspace.id}/widgets/${encodeURIComponent(counts.worstWidget)}?tab=health`)
        : this.deps.mailer.link(`/app/w/${workspace.id}/widgets`);
      const settings = this.deps.mailer.link(`/app/w/${workspace.id}/settings`);
      const subject = `Lumio: ${rate} % of identify attempts failed in the last hour in "${oneLine(workspace.name)}"`;
      const text = [
        `In the workspace "${oneLine(workspace.name)}", ${counts.failed} of ${counts.total} identify attempts failed in the last hour (${rate} %).`,
        '',
        'Signed-in people may be seeing the widget as anonymous visitors. The identity health page shows the failures and what to fix:',
        health,
        '',
        `You get this as an owner or admin of the workspace, at most once an hour. Turn it off or change the threshold in the workspace settings: ${settings}`,
        '',
      ].join('\n');
      for (const { email } of recipients) {
        try {
          await this.deps.mailer.send({ to: email, subject, text });
          sent++;
        } catch {
          // The Mailer has logged why (never the address's local part); the others still get theirs.
        }
      }
    }
    await this.audit.record(
      workspace.id,
      { type: 'system', id: null, ip: null },
      'workspace.identity_alert',
      { type: 'workspace', id: workspace.id },
      { failurePercent: rate, attempts: counts.total, failed: counts.failed, recipients: recipients.length, sent, at: now },
    );
    return sent;
  }

  private recipients(workspaceId: string): Promise<Array<{ email: string }>> {
    return this.deps.db
      .selectFrom('members')
      .innerJoin('accounts', 'accounts.id', 'members.account_id')
      .select('accounts.email')
      .where('members.workspace_id', '=', workspaceId)
      .where('members.role', 'in', ['owner', 'admin'])
      .orderBy('accounts.email')
      .execute();
  }
}

// A workspace name goes into a subject line: no line breaks, whatever was stored.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
