// The shapes the dashboard reads from the API. NOTE: keep in step with the
// server's views (packages/server/src/*/…-service.ts); the e2e tests read
// every page against a real server.

/** A workspace role, most to least powerful. */
export type Role = 'owner' | 'admin' | 'member';

/** A workspace the signed-in account belongs to, with its role there. */
export interface WorkspaceView {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
}

/** The signed-in account. */
export interface AccountView {
  id: string;
  email: string;
  name: string | null;
}

/** `GET /auth/me`. */
export interface SessionView {
  account: AccountView;
  workspaces: WorkspaceView[];
}
