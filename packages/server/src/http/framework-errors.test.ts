import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, setupOwner } from '../test-support/api-helpers.js';
import type { FastifyError } from 'fastify';
import { toLumioError } from './error-handler.js';

// What Fastify itself refuses (a URL it cannot decode, an over-long path
// segment, a body it cannot parse) answers our error body with a registry
// code and a 4xx, like every other refusal: never Fastify's own body, never a 5xx.
for (const dialect of DIALECTS) {
  describe(`framework errors answer registry codes (${dialect})`, () => {
    let t: TestApp;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      key = await createApiKey(t, await setupOwner(t));
    });
    afterAll(async () => {
      await t.close();
    });

    const get = (path: string) => call(t.app, { method: 'GET', url: path, bearer: key });

    it('a path that is not percent-encoded UTF-8 is invalid_request', async () => {
      for (const bad of ['%E0%80', '%FF', '%', '%zz']) {
        const res = await get(`/server/v1/users/${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/percent-encoded/) });
        expect(res.body.error.requestId).toEqual(expect.any(String));
      }
    });

    it('a userId of 255 code points reaches the route in a path; a far longer segment is invalid_request', async () => {
      const long = await get(`/server/v1/users/${encodeURIComponent('é'.repeat(255))}`);
      expect(long.status).toBe(404);
      expect(long.body.error.message).toMatch(/No user/);
      const huge = await get(`/server/v1/users/${'x'.repeat(5000)}`);
      expect(huge.status).toBe(400);
      expect(huge.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/too long/) });
    });

    it('bodies Fastify cannot parse are invalid_request or unsupported_media_type', async () => {
      const send = (contentType: string, payload: string) =>
        call(t.app, { method: 'PUT', url: '/server/v1/users/u1', bearer: key, headers: { 'content-type': contentType }, payload });
      expect((await send('application/json', '{')).body.error).toMatchObject({
        code: 'invalid_request',
        message: 'The body is not valid JSON.',
      });
      expect((await send('application/json', '')).body.error.code).toBe('invalid_request');
      expect((await send('text/plain', 'x')).body.error.code).toBe('unsupported_media_type');
      expect((await send('application/json; charset=utf-16', '{}')).status).toBeLessThan(500);
    });
  });
}

describe('toLumioError', () => {
  const fastifyError = (statusCode: number, code = 'FST_ERR_SOMETHING_NEW') =>
    Object.assign(new Error('raw'), { statusCode, code }) as FastifyError;

  it('keeps any other client error of Fastify or a plugin a 4xx, with the code of its status', () => {
    expect(toLumioError(fastifyError(404))).toMatchObject({ code: 'not_found', status: 404 });
    expect(toLumioError(fastifyError(415))).toMatchObject({ code: 'unsupported_media_type', status: 415 });
    expect(toLumioError(fastifyError(413))).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(toLumioError(fastifyError(431))).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(toLumioError(fastifyError(500))).toBeUndefined();
  });
});
