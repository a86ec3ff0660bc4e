import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { hashToken, newToken, safeEqual } from '../crypto/tokens.js';
import type { AccountsService, AccountView } from './accounts-service.js';
import type { WorkspacesService, WorkspaceView } from '../workspaces/workspaces-service.js';

const SETTING = 'setup_token_hash';

/**
 * First-run setup: while the server has no account, each start issues a
 * one-time token; using it creates the owner account and first workspace.
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
  ): Promise<{ account: AccountView; workspace: WorkspaceView }> {
    if (!(await this.pending())) throw new LumioError('invalid_setup_token', 'Setup is already done; sign in instead.');
    if (token !== null) {
      const row = await this.deps.db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirst();
      if (!row || !safeEqual(row.value, hashToken(token))) throw new LumioError('invalid_setup_token');
    }
    const account = await this.accounts.create(input);
    await this.deps.db.deleteFrom('settings').where('key', '=', SETTING).execute();
    const workspace = await this.workspaces.create(input.workspaceName, account.id, { type: 'account', id: account.id, ip: null });
    return { account, workspace };
  }
}
