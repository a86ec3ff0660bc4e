import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../audit/audit-log.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';
import type { WidgetsService } from '../widgets/widgets-service.js';
import type { SigningSecrets } from '../widgets/signing-secrets.js';
import type { AnnouncementsService } from '../announcements/announcements-service.js';

/** The demo workspace and its widget, as recorded when demo mode created them. */
export interface DemoWidget {
  workspaceId: string;
  widgetId: string;
}

const SETTING = 'demo_widget';
const SYSTEM: Actor = { type: 'system', id: 'demo', ip: null };

/** The demo widget recorded in this database, or null when demo mode never created one here. */
export async function findDemoWidget(db: Kysely<Database>): Promise<DemoWidget | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
  return row ? (JSON.parse(row.value) as DemoWidget) : null;
}

/**
 * Demo mode's data: on a fresh database, a "Demo" workspace with a widget,
 * so a newcomer sees a verified identify at /demo right after `npm start`.
 * The workspace has no member until setup, whose owner then owns it too
 * ({@link SetupService} adopts it in the setup transaction).
 */
export class DemoService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db'>,
    private readonly workspaces: WorkspacesService,
    private readonly widgets: WidgetsService,
    private readonly secrets: SigningSecrets,
    private readonly announcements: AnnouncementsService,
  ) {}

  /**
   * Creates the demo workspace and widget when the database is fresh (no
   * account yet) and demo mode never ran on it; returns the demo widget,
   * existing or new, or null on a database set up without demo mode. A demo
   * workspace the team deleted is not made again.
   */
  async ensureCreated(): Promise<DemoWidget | null> {
    const existing = await findDemoWidget(this.deps.db);
    if (existing) return existing;
    let created: DemoWidget | null;
    try {
      created = await this.deps.db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('accounts').select('id').limit(1).executeTakeFirst()) return null;
        const workspace = await this.workspaces.create('Demo', null, SYSTEM, trx);
        // Required: the demo shows the end state a customer should reach, where only signed ids count.
        const widget = await this.widgets.create(workspace.id, { name: 'Demo app', verificationMode: 'required' }, SYSTEM, trx);
        const demo: DemoWidget = { workspaceId: workspace.id, widgetId: widget.id };
        const claimed = await trx
          .insertInto('settings')
          .values({ key: SETTING, value: JSON.stringify(demo) })
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        // Another process made the demo first: roll ours back and use theirs.
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new DemoExists();
        return demo;
      });
    } catch (error) {
      if (error instanceof DemoExists) return findDemoWidget(this.deps.db);
      throw error;
    }
    if (created) await this.seedAnnouncements(created.workspaceId);
    return created;
  }

  // What the demo page shows besides identify: a welcome post in the feed for
  // everyone, and a banner only the demo's free-plan user (Grace) gets.
  private async seedAnnouncements(workspaceId: string): Promise<void> {
    await this.announcements.create(
      workspaceId,
      {
        kind: 'post',
        title: 'Welcome to the Lumio demo',
        body: "This feed, the banner and any popup come from the **Demo** workspace, targeted on the signed-in user's stored profile. Sign in as Ada (Pro) or Grace (Free) to compare.",
        status: 'live',
      },
      SYSTEM,
    );
    await this.announcements.create(
      workspaceId,
      {
        kind: 'banner',
        title: 'You are on the Free plan',
        body: 'Pro adds unlimited seats and priority support.',
        cta: { label: 'See plans', url: 'https://example.com/pricing' },
        audience: { condition: { plan: 'free' }, visibility: 'verified' },
        status: 'live',
      },
      SYSTEM,
    );
  }

  /** The demo widget with its current signing secret, for the demo host app's server side; null when there is none. */
  async signingKey(): Promise<{ widgetId: string; secret: string } | null> {
    const demo = await findDemoWidget(this.deps.db);
    if (!demo) return null;
    // Rotated or revoked from the dashboard: the demo signs with whatever is current now, like a host would after deploying the new secret.
    const current = (await this.secrets.loadMaterial(demo.workspaceId, demo.widgetId)).find((m) => m.state === 'current');
    return current ? { widgetId: demo.widgetId, secret: current.secret } : null;
  }
}

class DemoExists extends Error {}
