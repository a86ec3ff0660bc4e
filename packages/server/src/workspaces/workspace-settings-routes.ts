import type { FastifyInstance } from 'fastify';
import { workspaceSettingsPatchBody, type WorkspaceSettingsView } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { WorkspaceSettings } from './workspace-settings.js';

/**
 * `GET …/workspaces/:workspaceId/settings` (any member) and `PATCH` (owner or
 * admin; audited): the browser-visible keys, the interest half-life and the
 * personalised-help switch. Being workspace routes of the dashboard (cookie
 * session), a PATCH from another origin is refused by the Origin check.
 */
export function registerWorkspaceSettingsRoutes(app: FastifyInstance, settings: WorkspaceSettings, guards: Guards): void {
  const url = '/api/v1/workspaces/:workspaceId/settings';
  app.get(url, guards.workspaceRoute('member'), async (request): Promise<WorkspaceSettingsView> => settings.get(workspaceOf(request).id));
  app.patch(url, guards.workspaceRoute('admin'), async (request): Promise<WorkspaceSettingsView> =>
    settings.update(workspaceOf(request).id, parseWith(workspaceSettingsPatchBody, request.body), actorOf(request)),
  );
}
