import type { SetupAnswer } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { hashToken, newToken, safeEqual } from '../crypto/tokens.js';
import { assertPasswordStrength, type AccountsService } from './accounts-service.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';
import { findDemoWidget } from '../demo/demo-service.js';
import { recordInstanceOwner } from '../instance/instance-settings.js';

const SETTING = 'setup_token_hash';
const DONE = 'setup_done';

/**
 * First-run setup: while the server has no account, each start issues a
 * one-time token; using it creates the owner account and first workspace
 * (and makes that owner the owner of the demo workspace, when there is one).
 */
export class SetupService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db'>,
    private readonly accounts: AccountsService,
    private readonly workspaces: WorkspacesService,
  ) {}

  /** Whether setup is still to be done (no account exists). */
  async pending(): Promise<boolean> {
    return (await this.deps.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()) === undefined;
  }

  /** Issues a fresh setup token when setup is pending (the previous one stops working); null otherwise. */
  async issueToken(): Promise<string | null> {
    if (!(await this.pending())) return null;
    const token = newToken('lsu');
    await this.deps.db
      .insertInto('settings')
      .values({ key: SETTING, value: hashToken(token) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: hashToken(token) }))
      .execute();
    return token;
  }

  /** Creates the owner and first workspace with a setup token (web) or without one (terminal). */
  async complete(
    token: string | null,
    input: { email: string; password: string; name?: string | undefined; workspaceName: string },
  ): Promise<SetupAnswer> {
    assertPasswordStrength(input.password);
    const done = () => new LumioError('invalid_setup_token', 'Setup is already done; sign in instead.');
    if (!(await this.pending())) throw done();
    // One transaction, opened by claiming the unique "setup done" row: of two
    // concurrent setups only one can commit, so there is never a second owner.
    return this.deps.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('settings')
        .values({ key: DONE, value: 'true' })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) throw done();
      if (token !== null) {
        const row = await trx.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
        if (!row || !safeEqual(row.value, hashToken(token))) throw new LumioError('invalid_setup_token');
        await trx.deleteFrom('settings').where('key', '=', SETTING).execute();
      }
      const account = await this.accounts.create(input, trx);
      // The account that completes setup owns the instance (its email settings; see docs/operations.md).
      await recordInstanceOwner(trx, account.id);
      const actor = { type: 'account' as const, id: account.id, ip: null };
      const workspace = await this.workspaces.create(input.workspaceName, account.id, actor, trx);
      // Demo mode made a workspace before anyone could own it: the first owner owns it too.
      const demo = await findDemoWidget(trx);
      if (demo && (await trx.selectFrom('workspaces').select('id').where('id', '=', demo.workspaceId).executeTakeFirst()))
        await this.workspaces.addOwner(demo.workspaceId, account.id, actor, trx);
      return { account, workspace };
    });
  }
}
