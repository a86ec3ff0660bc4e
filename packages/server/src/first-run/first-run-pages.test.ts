import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

describe('first-run pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('serves the setup, invite and reset pages the printed links point to, posting to the real endpoints', async () => {
    for (const [path, endpoint] of [
      ['setup', '/api/v1/setup'],
      ['invite', '/api/v1/invites/accept'],
      ['reset-password', '/api/v1/auth/password-reset'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/app/${path}?token=lsu_x` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain(`"${endpoint}"`);
      // The token is read by the page's script, never echoed into the HTML.
      expect(res.body).not.toContain('lsu_x');
      expect(t.routes.some((r) => r.url === endpoint && r.method === 'POST')).toBe(true);
    }
  });
});
