import type { Generated } from 'kysely';

/**
 * The database schema as Kysely sees it. Times are epoch milliseconds
 * (`bigint` in PostgreSQL, parsed to numbers) so both dialects share one code
 * path; JSON columns are `text` in SQLite and `jsonb` in PostgreSQL, read back
 * through {@link parseJson}.
 */
export interface Database {
  settings: { key: string; value: string };
  /** The instance's own settings: one row, id 'instance' (migration 0016). */
  instance_settings: {
    id: string;
    owner_account_id: string | null;
    smtp_host: string | null;
    smtp_port: number | null;
    smtp_security: string | null;
    smtp_user: string | null;
    smtp_password_ciphertext: string | null;
    smtp_from: string | null;
    public_url: string | null;
    updated_at: number | null;
  };
  accounts: {
    id: string;
    email: string;
    name: string;
    password_hash: string;
    created_at: number;
    failed_logins: number;
    locked_until: number | null;
  };
  auth_sessions: {
    token_hash: string;
    account_id: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    reauth_at: number;
    ip: string | null;
    user_agent: string | null;
  };
  workspaces: {
    id: string;
    name: string;
    created_at: number;
    analytics_retention_days: Generated<number>;
    browser_visible_keys: unknown;
    interest_half_life_days: Generated<number>;
    personalised_help: Generated<number>;
    identity_alerts: Generated<number>;
    identity_alert_failure_percent: Generated<number>;
    identity_alert_min_attempts: Generated<number>;
    identity_alert_sent_at: number | null;
  };
  members: { workspace_id: string; account_id: string; role: string; created_at: number };
  invites: {
    id: string;
    workspace_id: string;
    token_hash: string;
    role: string;
    created_by: string;
    created_at: number;
    expires_at: number;
    accepted_at: number | null;
    accepted_by: string | null;
    /** The address the invite was emailed to, lower-case (migration 0019); null for a link-only invite. */
    email: string | null;
  };
  /** A fixed-window failure counter per (account key, source); source `*` is the whole account. */
  sign_in_failures: {
    account_key: string;
    source: string;
    window_start: number;
    failures: number;
  };
  /** Client IPs an account has signed in from with its password (exempt from the account-wide slow-down). */
  sign_in_known_sources: {
    account_key: string;
    source: string;
    last_success_at: number;
  };
  password_resets: {
    token_hash: string;
    account_id: string;
    created_by: string | null;
    created_at: number;
    expires_at: number;
    used_at: number | null;
    /** 1: asked for by the account itself ("Forgot password?", migration 0019); 0: issued by an owner/admin or the operator. */
    self_service: Generated<number>;
  };
  api_keys: {
    id: string;
    workspace_id: string;
    name: string;
    key_hash: string;
    prefix: string;
    created_by: string;
    created_at: number;
    last_used_at: number | null;
    revoked_at: number | null;
  };
  audit_log: {
    id: Generated<number>;
    workspace_id: string;
    actor_type: string;
    actor_id: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    details: unknown;
    created_at: number;
  };
  widgets: {
    id: string;
    workspace_id: string;
    name: string;
    allowed_origins: unknown;
    verification_mode: string;
    created_at: number;
    updated_at: number;
    appearance: unknown;
  };
  signing_secrets: {
    id: string;
    widget_id: string;
    workspace_id: string;
    /** AES-256-GCM envelope; null once purged 30 days after retirement. */
    ciphertext: string | null;
    created_at: number;
    last_used_at: number | null;
    /** End of the grace period after a rotation; null while current. */
    expires_at: number | null;
    revoked_at: number | null;
  };
  users: {
    workspace_id: string;
    user_id: string;
    name: string | null;
    email: string | null;
    birthday: string | null;
    gender: string | null;
    properties: unknown;
    sources: unknown;
    trust: string;
    created_at: number;
    updated_at: number;
    last_seen_at: number | null;
  };
  /** Host companies (migration 0020, companies/). `sources` as on users: `name`, `properties.<key>`. */
  companies: {
    workspace_id: string;
    company_id: string;
    name: string | null;
    properties: unknown;
    sources: unknown;
    created_at: number;
    updated_at: number;
  };
  /** A user's membership of a company; `source`: unverified | claimed | trusted, only ever raised. */
  company_members: {
    workspace_id: string;
    company_id: string;
    user_id: string;
    source: string;
    created_at: number;
    updated_at: number;
  };
  /** An old user id merged into `user_id` (migration 0022, users/user-merge.ts). */
  user_aliases: { workspace_id: string; alias_id: string; user_id: string; merged_at: number };
  /** Webhook endpoints (migration 0021, webhooks/); `events` a JSON list of types, `["*"]` = all. */
  webhook_endpoints: {
    id: string;
    workspace_id: string;
    url: string;
    description: Generated<string>;
    events: unknown;
    secret_ciphertext: string;
    created_by: string | null;
    created_at: number;
    updated_at: number;
    disabled_at: number | null;
  };
  /** The webhook outbox: one row per event, written in the changing transaction; `payload` is the exact body sent. */
  webhook_events: { id: string; workspace_id: string; type: string; payload: string; created_at: number };
  /** One delivery per (event, endpoint): pending → succeeded | failed. */
  webhook_deliveries: {
    id: string;
    workspace_id: string;
    endpoint_id: string;
    event_id: string;
    state: string;
    attempts: Generated<number>;
    next_attempt_at: number | null;
    locked_until: number | null;
    last_attempt_at: number | null;
    last_status: number | null;
    last_error: string | null;
    created_at: number;
    completed_at: number | null;
  };
  anonymous_links: {
    workspace_id: string;
    anonymous_id: string;
    user_id: string;
    trust: string;
    widget_id: string;
    linked_at: number;
  };
  identity_log: {
    id: Generated<number>;
    workspace_id: string;
    widget_id: string;
    created_at: number;
    outcome: string;
    reason: string;
    diagnosis: string | null;
    user_id: string | null;
    anonymous_id: string | null;
    key_id: string | null;
    ip: string | null;
  };
  segments: {
    id: string;
    workspace_id: string;
    name: string;
    description: string;
    condition: unknown;
    created_by: string | null;
    created_at: number;
    updated_at: number;
  };
  announcements: {
    id: string;
    workspace_id: string;
    kind: string;
    title: string;
    body_markdown: string;
    body_html: string;
    cta: unknown;
    banner_position: string;
    /** `overlay`, `push`, or null for the widget's default (migration 0015). */
    banner_placement: string | null;
    audience: unknown;
    starts_at: number | null;
    ends_at: number | null;
    frequency: string;
    priority: number;
    state: string;
    published_at: number | null;
    created_by: string | null;
    created_at: number;
    updated_at: number;
  };
  announcement_states: {
    workspace_id: string;
    announcement_id: string;
    viewer: string;
    seen_at: number | null;
    clicked_at: number | null;
    dismissed_at: number | null;
  };
  collections: {
    id: string;
    workspace_id: string;
    name: string;
    slug: string;
    description: string;
    position: number;
    pinned: number;
    created_at: number;
    updated_at: number;
  };
  articles: {
    id: string;
    workspace_id: string;
    collection_id: string | null;
    title: string;
    slug: string;
    body_markdown: string;
    body_html: string;
    excerpt: string;
    position: number;
    status: string;
    audience: unknown;
    tags: unknown;
    author_id: string | null;
    created_at: number;
    updated_at: number;
    published_at: number | null;
  };
  interest_scores: {
    workspace_id: string;
    viewer: string;
    topic: string;
    score: number;
    updated_at: number;
    views: Generated<number>;
    saves: Generated<number>;
    helpful_votes: Generated<number>;
    search_clicks: Generated<number>;
    announcement_clicks: Generated<number>;
  };
  /** "People like you" aggregates of help relevance (migration 0014, relevance/peer-signals.ts). */
  peer_helpful: { workspace_id: string; trait_key: string; trait_value: string; article_id: string; people: number; refreshed_at: number };
  article_saves: { workspace_id: string; viewer: string; article_id: string; saved_at: number };
  article_feedback: { workspace_id: string; viewer: string; article_id: string; helpful: number; at: number };
  event_snapshots: {
    id: Generated<number>;
    workspace_id: string;
    hash: string;
    user_id: string;
    trust: string;
    name: string | null;
    email: string | null;
    birthday: string | null;
    gender: string | null;
    properties: unknown;
    sources: unknown;
    created_at: number;
  };
  events: {
    id: Generated<number>;
    workspace_id: string;
    event_id: string;
    widget_id: string;
    name: string;
    at: number;
    person: string;
    user_id: string | null;
    anonymous_id: string;
    trust: string;
    snapshot_id: number;
    object: string | null;
    props: unknown;
    received_at: number;
    /** The company a server API event names (migration 0026); null for widget events. */
    company_id: string | null;
  };
  /**
   * PostgreSQL only (migration 0027): the stored events' ids, one row per
   * event, the idempotency key that a table partitioned by time cannot hold.
   */
  event_ids: { workspace_id: string; event_id: string };
  event_person_days: {
    workspace_id: string;
    day: number;
    person: string;
    snapshot_id: number;
    trust: string;
    user_id: string | null;
    events: number;
  };
  event_daily: {
    workspace_id: string;
    name: string;
    at: number;
    snapshot_id: number;
    trust: string;
    person: string;
    events: number;
  };
  property_catalogue: {
    workspace_id: string;
    key: string;
    types: unknown;
    first_seen_at: number;
    last_seen_at: number;
    sketch: string;
    flags: unknown;
  };
  identity_stats: {
    workspace_id: string;
    widget_id: string;
    hour: number;
    outcome: string;
    reason: string;
    count: number;
  };
}

/** Reads a JSON column: SQLite hands back text, PostgreSQL an already parsed value. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
