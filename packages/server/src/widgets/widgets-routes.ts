import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  revealSecretsBody,
  rotateSecretBody,
  widgetBody,
  widgetPatchBody,
  type IdentityLogAnswer,
  type IdentityStats,
  type RevealedSecretsAnswer,
  type RotatedSecret,
  type SecretsAnswer,
  type WidgetInstallAnswer,
  type WidgetsAnswer,
} from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { accountOf, workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { AuthSessions } from '../accounts/auth-sessions.js';
import type { SignInThrottle } from '../accounts/sign-in-throttle.js';
import type { IdentityLog } from '../identity/identity-log.js';
import { SignatureDiagnoses, type SignatureDiagnosis } from '../identity/signature-diagnosis.js';
import { serverOrigin } from '../http/server-origin.js';
import type { WidgetScript } from '../widget-script/widget-script.js';
import type { SigningSecrets } from './signing-secrets.js';
import type { WidgetsService } from './widgets-service.js';

/** Widgets, their signing secrets (owner/admin) and identity health. */
export function registerWidgetsRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'clock'>,
  services: {
    widgets: WidgetsService;
    secrets: SigningSecrets;
    identityLog: IdentityLog;
    accounts: AccountsService;
    sessions: AuthSessions;
    throttle: SignInThrottle;
    script: WidgetScript;
  },
  guards: Guards,
): void {
  const { widgets, secrets, identityLog, accounts, sessions, throttle, script } = services;
  const originOf = serverOrigin(deps.config);
  const admin = guards.workspaceRoute('admin');
  const member = guards.workspaceRoute('member');
  const widgetParam = (request: FastifyRequest) => (request.params as { widgetId: string }).widgetId;

  app.get('/api/v1/workspaces/:workspaceId/widgets', member, async (request): Promise<WidgetsAnswer> => ({
    widgets: await widgets.list(workspaceOf(request).id),
  }));

  app.post('/api/v1/workspaces/:workspaceId/widgets', admin, async (request, reply) => {
    const body = parseWith(widgetBody, request.body);
    return reply.status(201).send(await widgets.create(workspaceOf(request).id, body, actorOf(request)));
  });

  app.get('/api/v1/workspaces/:workspaceId/widgets/:widgetId', member, async (request) =>
    widgets.get(workspaceOf(request).id, widgetParam(request)),
  );

  // The snippet is built here, where the loader and this server's public origin
  // are known, so the dashboard never rebuilds (and never drifts from) it.
  app.get('/api/v1/workspaces/:workspaceId/widgets/:widgetId/install', member, async (request): Promise<WidgetInstallAnswer> => {
    const widget = await widgets.get(workspaceOf(request).id, widgetParam(request));
    const snippet = script.snippet(originOf(request), widget.id);
    if (snippet === null) throw new LumioError('widget_script_unavailable');
    return { snippet };
  });

  app.patch('/api/v1/workspaces/:workspaceId/widgets/:widgetId', admin, async (request) => {
    const body = parseWith(widgetPatchBody, request.body);
    return widgets.update(workspaceOf(request).id, widgetParam(request), body, actorOf(request));
  });

  app.delete('/api/v1/workspaces/:workspaceId/widgets/:widgetId', admin, async (request, reply) => {
    await widgets.delete(workspaceOf(request).id, widgetParam(request), actorOf(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets', admin, async (request): Promise<SecretsAnswer> => {
    const ws = workspaceOf(request);
    await widgets.get(ws.id, widgetParam(request));
    return { secrets: await secrets.list(ws.id, widgetParam(request)) };
  });

  app.post(
    '/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets/reveal',
    {
      ...admin,
      config: {
        ...admin.config,
        rateLimit: { max: 20, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `reveal:${r.account?.id ?? r.ip}` },
      },
    },
    async (request): Promise<RevealedSecretsAnswer> => {
      const body = parseWith(revealSecretsBody, request.body);
      const ws = workspaceOf(request);
      const account = accountOf(request);
      await widgets.get(ws.id, widgetParam(request));
      if (body.password !== undefined) {
        // A wrong password here is a failed sign-in of the account, throttled alike (SignInThrottle).
        const confirmed = await throttle.attempt(request, account.email, async () =>
          (await accounts.confirmPassword(account.id, body.password!)) ? true : null,
        );
        if (!confirmed) {
          // Reached only past the throttle (a refused attempt threw rate_limited above), so these entries cannot flood the log.
          await secrets.recordDeniedReveal(ws.id, widgetParam(request), actorOf(request));
          throw new LumioError('reauthentication_required', 'The password is wrong.');
        }
        await sessions.markReauthenticated(account.sessionHash);
      } else if (deps.clock.now() - account.reauthAt > deps.config.session.reauthSeconds * 1000) {
        // Signed in or confirmed too long ago: the password again (LUMIO_REAUTH_SECONDS).
        throw new LumioError('reauthentication_required');
      }
      return { secrets: await secrets.reveal(ws.id, widgetParam(request), actorOf(request)) };
    },
  );

  app.post('/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets/rotate', admin, async (request, reply) => {
    const body = parseWith(rotateSecretBody, request.body);
    const ws = workspaceOf(request);
    await widgets.get(ws.id, widgetParam(request));
    const rotated = await secrets.rotate(
      ws.id,
      widgetParam(request),
      body.graceSeconds ?? deps.config.defaultGraceSeconds,
      actorOf(request),
    );
    return reply.status(201).send({
      keyId: rotated.keyId,
      secret: rotated.secret,
      previousExpireAt: rotated.previousExpireAt,
      secrets: await secrets.list(ws.id, widgetParam(request)),
    } satisfies RotatedSecret);
  });

  app.post('/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets/:keyId/revoke', admin, async (request): Promise<SecretsAnswer> => {
    const { keyId } = request.params as { keyId: string };
    const ws = workspaceOf(request);
    await widgets.get(ws.id, widgetParam(request));
    await secrets.revoke(ws.id, widgetParam(request), keyId, actorOf(request));
    return { secrets: await secrets.list(ws.id, widgetParam(request)) };
  });

  app.get('/api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-log', admin, async (request): Promise<IdentityLogAnswer> => {
    const query = parseWith(
      z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        outcome: z.enum(['verified', 'identified', 'failed']).optional(),
      }),
      request.query,
    );
    const ws = workspaceOf(request);
    await widgets.get(ws.id, widgetParam(request));
    const entries = await identityLog.list(ws.id, widgetParam(request), query);
    return {
      entries: entries.map((e) => ({ ...e, hint: e.diagnosis ? (SignatureDiagnoses[e.diagnosis as SignatureDiagnosis] ?? null) : null })),
    };
  });

  app.get('/api/v1/workspaces/:workspaceId/widgets/:widgetId/identity-stats', member, async (request): Promise<IdentityStats> => {
    const query = parseWith(
      z.object({
        hours: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 90)
          .default(24 * 7),
      }),
      request.query,
    );
    const ws = workspaceOf(request);
    await widgets.get(ws.id, widgetParam(request));
    const since = Math.floor((deps.clock.now() - query.hours * 3600_000) / 3600_000) * 3600_000;
    const rows = await identityLog.stats(ws.id, widgetParam(request), since);
    const byHour = new Map<
      number,
      { hour: number; verified: number; identified: number; failed: number; reasons: Record<string, number> }
    >();
    for (const row of rows) {
      const h = byHour.get(row.hour) ?? { hour: row.hour, verified: 0, identified: 0, failed: 0, reasons: {} };
      h[row.outcome as 'verified' | 'identified' | 'failed'] += row.count;
      if (row.outcome === 'failed') h.reasons[row.reason] = (h.reasons[row.reason] ?? 0) + row.count;
      byHour.set(row.hour, h);
    }
    const hours = [...byHour.values()].map((h) => ({ ...h, verifiedRate: rate(h.verified, h.verified + h.identified + h.failed) }));
    const total = hours.reduce(
      (t, h) => ({ verified: t.verified + h.verified, identified: t.identified + h.identified, failed: t.failed + h.failed }),
      { verified: 0, identified: 0, failed: 0 },
    );
    return { hours, total: { ...total, verifiedRate: rate(total.verified, total.verified + total.identified + total.failed) } };
  });
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
