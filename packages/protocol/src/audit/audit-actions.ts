/**
 * Every action the audit log records, in one list: the server writes only
 * these, its `?action=` filter accepts only these, and the dashboard gives
 * each one a label in words (audit-log/audit-action-labels.ts).
 */
export const AUDIT_ACTIONS = [
  'workspace.create',
  'secret.reveal',
  'secret.reveal_denied',
  'secret.rotate',
  'secret.revoke',
  'api_key.create',
  'api_key.revoke',
  'member.invite',
  'member.invite_revoke',
  'member.join',
  'member.add',
  'member.role_change',
  'member.remove',
  'member.password_reset_issue',
  'widget.create',
  'widget.delete',
  'widget.verification_mode_change',
  'widget.origins_change',
  'user.erase',
  'widget.appearance_change',
  'segment.create',
  'segment.update',
  'segment.delete',
  'announcement.create',
  'announcement.update',
  'announcement.status_change',
  'announcement.delete',
  'collection.create',
  'collection.update',
  'collection.delete',
  'article.create',
  'article.update',
  'article.delete',
  'analytics.settings.update',
  'workspace.settings.update',
  'account.rename',
  'account.password_change',
  'account.password_reset',
  'account.password_reset_issue',
  'instance.email.update',
  'instance.email.test',
  'workspace.identity_alert',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.resend',
  'company.upsert',
  'company.erase',
  'user.merge',
  'user.import',
] as const;

/** A security-relevant action recorded in the audit log. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Whether a string is one of {@link AUDIT_ACTIONS}. */
export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
