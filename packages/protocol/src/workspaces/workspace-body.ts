import { z } from 'zod';

/** `POST /workspaces`: a new workspace, its creator as owner. */
export const workspaceBody = z.object({ name: z.string().trim().min(1).max(120) });

/** What `POST /workspaces` takes. */
export type WorkspaceBody = z.input<typeof workspaceBody>;
