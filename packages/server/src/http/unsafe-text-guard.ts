import type { FastifyInstance } from 'fastify';
import { findUnsafeText, unsafeTextMessage } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';

/**
 * Refuses, before any route runs, a request whose path params, query or JSON
 * body hold U+0000 or a lone surrogate in any string or key: `400
 * invalid_string` naming the field (`params.userId`, `query.query`,
 * `properties.plan`). PostgreSQL cannot store either (it answered 500 where
 * SQLite took the value), so both databases now answer alike, and no route
 * (widget, dashboard, server API) can forget the check.
 */
export function installUnsafeTextGuard(app: FastifyInstance): void {
  // preValidation: the body is parsed, no handler has run; one callback-style hook, no promise per request.
  app.addHook('preValidation', (request, _reply, done) => {
    const found = findUnsafeText(request.params, 'params') ?? findUnsafeText(request.query, 'query') ?? findUnsafeText(request.body);
    if (!found) {
      done();
      return;
    }
    done(new LumioError('invalid_string', unsafeTextMessage(found), { field: found.field }));
  });
}
