import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { instanceEmailBody, type InstanceEmailTestAnswer, type InstanceEmailView } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { accountOf } from '../http/request-context.js';
import type { InstanceSettings } from './instance-settings.js';

// A test email is one SMTP conversation each: a few a minute are plenty for checking settings.
const TESTS_PER_MINUTE = 10;

/**
 * The instance's email settings, for the instance owner only (every other
 * signed-in account gets 403 `instance_owner_only`, like a member asking for
 * an admin's route; signed out, 401): `GET`/`PUT /api/v1/instance/email` and
 * `POST /api/v1/instance/email/test`. Cookie routes, so a change from another
 * origin is refused by the Origin check.
 */
export function registerInstanceRoutes(app: FastifyInstance, instance: InstanceSettings, guards: Guards): void {
  const requireOwner: preHandlerAsyncHookHandler = async (request) => {
    await instance.assertOwner(accountOf(request).id);
  };
  const route = { config: { lumio: { scope: 'instance' as const } }, preHandler: [guards.requireAccount, requireOwner] };

  app.get('/api/v1/instance/email', route, async (request): Promise<InstanceEmailView> => instance.emailView(accountOf(request).email));

  app.put('/api/v1/instance/email', route, async (request): Promise<InstanceEmailView> =>
    instance.saveEmail(parseWith(instanceEmailBody, request.body), actorOf(request), accountOf(request).email),
  );

  app.post(
    '/api/v1/instance/email/test',
    {
      ...route,
      config: {
        ...route.config,
        rateLimit: { max: TESTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (r: FastifyRequest) => `email-test:${r.ip}` },
      },
    },
    async (request): Promise<InstanceEmailTestAnswer> => {
      const email = accountOf(request).email;
      await instance.sendTest(actorOf(request), email);
      return { sentTo: email };
    },
  );
}
