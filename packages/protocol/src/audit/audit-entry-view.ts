/** One audit row as the API shows it. Never holds a secret value. */
export interface AuditEntryView {
  id: number;
  /** What was done, like `widget.create` or `member.role_change`. */
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

/** `GET …/audit-log`: newest first; the next page is `?before=nextBefore`. */
export interface AuditLogAnswer {
  entries: AuditEntryView[];
  nextBefore: number | null;
}
