import type { Role } from './roles.js';

/** A workspace as one of its members sees it, with their role there. */
export interface WorkspaceView {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
}

/** `GET /workspaces`: the signed-in account's workspaces, oldest first. */
export interface WorkspacesAnswer {
  workspaces: WorkspaceView[];
}
