import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { setupOwner, workspaceApi } from '../test-support/api-helpers.js';

const D = Date.UTC(2026, 10, 21);
const RANGE = { from: D - 7 * 86_400_000, to: D };

// What `npm run fuzz -- --cases 20000 --seed 20261206` found, each kept as a
// case of its own: the same answer on both databases, a 4xx, never a 500.
for (const dialect of DIALECTS) {
  describe(`fuzz findings stay fixed (${dialect})`, () => {
    let t: TestApp;
    let api: ReturnType<typeof workspaceApi>;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      api = workspaceApi(t, await setupOwner(t));
    });
    afterAll(async () => {
      await t.close();
    });

    it('a pattern naming a surrogate code unit is refused on both databases, where it is checked, not later in SQL', async () => {
      const condition = { name: { $regexi: '\\ud83d' } };
      for (const [path, body] of [
        ['/segments/preview', { condition }],
        ['/users/search', { condition }],
        ['/analytics/reports/demographics', { ...RANGE, condition }],
        ['/segments', { name: 'Emoji', condition }],
      ] as const) {
        const res = await api('POST', path, body);
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_condition');
        expect(res.body.error.details.issues[0]).toMatchObject({ path: 'name.$regexi', code: 'invalid_regex' });
      }
    });

    it('an unknown segment in a previewed condition is invalid_condition, not a 500', async () => {
      const res = await api('POST', '/segments/preview', { condition: { $segment: 'seg_missing' } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_condition' });
    });
  });
}
