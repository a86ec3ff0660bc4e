/** One audit row as the API shows it. Never holds a secret value. */
export interface AuditEntryView {
  id: number;
  /** What was done, like `widget.create` or `member.role_change`. */
  action: string;
  /** `name`: the account's "Name (email)" or the API key's name, looked up when the log is read; null when gone or not named. */
  actor: { type: string; id: string | null; name: string | null };
  /**
   * `name`: what the entry touched, by its current name (widget, segment,
   * API key, announcement or article title, member's "Name (email)"…),
   * looked up in this workspace when the log is read. When the thing is
   * gone, `deleted` is true and `name` is the one the entry recorded at the
   * time (or null if it recorded none).
   */
  target: { type: string | null; id: string | null; name: string | null; deleted: boolean };
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

/** `GET …/audit-log`: newest first; the next page is `?before=nextBefore` (with the same filters). */
export interface AuditLogAnswer {
  entries: AuditEntryView[];
  nextBefore: number | null;
}
