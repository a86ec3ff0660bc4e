import type { AuditAction } from '@lumio/protocol';

// NOTE: one label per action of protocol's AUDIT_ACTIONS; the Record type makes a new action without a label a type error.
const LABELS: Record<AuditAction, string> = {
  'workspace.create': 'Created the workspace',
  'secret.reveal': 'Revealed a signing secret',
  'secret.reveal_denied': 'Signing secret reveal refused (wrong password)',
  'secret.rotate': 'Rotated a signing secret',
  'secret.revoke': 'Revoked a signing secret',
  'api_key.create': 'Created an API key',
  'api_key.revoke': 'Revoked an API key',
  'member.invite': 'Invited someone',
  'member.invite_revoke': 'Withdrew an invite',
  'member.join': 'Joined the workspace',
  'member.add': 'Added a member',
  'member.role_change': "Changed a member's role",
  'member.remove': 'Removed a member',
  'member.password_reset_issue': 'Issued a password reset link for a member',
  'widget.create': 'Created a widget',
  'widget.delete': 'Deleted a widget',
  'widget.verification_mode_change': "Changed a widget's identity verification",
  'widget.origins_change': "Changed a widget's allowed websites",
  'user.erase': "Erased a user's data",
  'widget.appearance_change': "Changed a widget's appearance",
  'segment.create': 'Created a segment',
  'segment.update': 'Edited a segment',
  'segment.delete': 'Deleted a segment',
  'announcement.create': 'Created an announcement',
  'announcement.update': 'Edited an announcement',
  'announcement.status_change': "Changed an announcement's status",
  'announcement.delete': 'Deleted an announcement',
  'collection.create': 'Created a help collection',
  'collection.update': 'Edited a help collection',
  'collection.delete': 'Deleted a help collection',
  'article.create': 'Created a help article',
  'article.update': 'Edited a help article',
  'article.delete': 'Deleted a help article',
  'analytics.settings.update': 'Changed analytics settings',
  'workspace.settings.update': 'Changed workspace settings',
  'account.rename': 'Renamed their account',
  'account.password_change': 'Changed their password',
  'account.password_reset': 'Reset their password',
  'account.password_reset_issue': 'Issued a password reset link (command line)',
  'instance.email.update': 'Changed the instance email settings',
  'instance.email.test': 'Sent a test email',
  'workspace.identity_alert': 'Emailed an identity health alert',
  'webhook.create': 'Added a webhook endpoint',
  'webhook.update': 'Changed a webhook endpoint',
  'webhook.delete': 'Deleted a webhook endpoint',
  'webhook.resend': 'Resent a webhook delivery',
  'company.upsert': 'Created or updated a company through the API',
  'company.erase': "Erased a company's data",
  'user.merge': 'Merged two user ids',
  'user.import': 'Imported users',
};

/** Every audit action with its label, in the order of protocol's list: the options of the action filter. */
export const AUDIT_ACTION_OPTIONS = Object.entries(LABELS) as ReadonlyArray<readonly [AuditAction, string]>;

/** The words for an audit action ("Created a widget" for `widget.create`); an action this dashboard does not know shows as itself. */
export function auditActionLabel(action: string): string {
  return Object.prototype.hasOwnProperty.call(LABELS, action) ? LABELS[action as AuditAction] : action;
}
