import type { WorkspaceView } from '../workspaces/workspace-view.js';

/** The signed-in account, as `GET /auth/me` and `PATCH /auth/me` show it. */
export interface SessionAccount {
  id: string;
  email: string;
  /** Never empty: an account created without a name is named after its email's local part. */
  name: string;
}

/** An account as sign-in and setup answer it. */
export interface AccountView extends SessionAccount {
  createdAt: number;
}

/** `GET /auth/me`: who is signed in, and their workspaces. */
export interface SessionView {
  account: SessionAccount;
  workspaces: WorkspaceView[];
}

/** `POST /auth/login`: the account signed in, and its workspaces. */
export interface SignInAnswer {
  account: AccountView;
  workspaces: WorkspaceView[];
}

/** `PATCH /auth/me`: the account renamed. */
export interface RenamedAccount {
  account: SessionAccount;
}

/** `GET /setup`: whether the server still waits for its first owner. */
export interface SetupStatus {
  needed: boolean;
}

/** `POST /setup`: the first owner and their first workspace. */
export interface SetupAnswer {
  account: AccountView;
  workspace: WorkspaceView;
}

/** `GET /auth/email-status`: whether this instance sends email (the forgot-password page says so when not). */
export interface EmailStatus {
  emailEnabled: boolean;
}

/**
 * `POST /auth/forgot-password`: always this same answer, whether or not an
 * account has the address, so the answer tells nobody who has an account.
 */
export interface ForgotPasswordAnswer {
  requested: true;
}
