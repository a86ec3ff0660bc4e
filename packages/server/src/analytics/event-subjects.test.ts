import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserEventView } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  call,
  createWidget,
  identify,
  otherWorkspaceOwner,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`a user's activity names announcements and articles [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let other: Session;
    let events: UserEventView[];
    let ids: { live: string; deleted: string; article: string; foreign: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      other = await otherWorkspaceOwner(t);
      const api = workspaceApi(t, owner);
      const live = await api('POST', '/announcements', { kind: 'post', title: 'Dark mode is here', body: 'b' });
      const deleted = await api('POST', '/announcements', { kind: 'post', title: 'Old news', body: 'b' });
      const article = await api('POST', '/help/articles', { title: 'Resetting your password', body: 'b' });
      // An announcement of another workspace: its id must never show its title here.
      const foreign = await workspaceApi(t, other)('POST', '/announcements', { kind: 'post', title: 'Rival launch plan', body: 'b' });
      ids = { live: live.body.id, deleted: deleted.body.id, article: article.body.id, foreign: foreign.body.id };

      const widget = await createWidget(t, owner);
      const { token } = await startSession(t, widget.widgetId);
      const verified = await identify(t, widget.widgetId, token, { userId: 'ada', signature: sign('ada', widget.secret) });
      const at = t.clock.now();
      const event = (name: string, props: Record<string, unknown>, offset: number) => ({
        id: `evt_${crypto.randomBytes(6).toString('hex')}`,
        name,
        at: at - offset,
        props,
      });
      const sent = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widget.widgetId}/events`,
        bearer: verified.body.token,
        payload: {
          events: [
            event('$announcement_shown', { announcementId: ids.live }, 5000),
            event('$announcement_clicked', { announcementId: ids.deleted }, 4000),
            event('$article_viewed', { articleId: ids.article }, 3000),
            event('$announcement_shown', { announcementId: ids.foreign }, 2000),
            event('$widget_opened', {}, 1000),
          ],
        },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect((await api('DELETE', `/announcements/${ids.deleted}`)).status).toBe(204);
      const res = await api('GET', '/users/ada/events');
      expect(res.status).toBe(200);
      events = res.body.events;
    });
    afterAll(async () => t?.close());

    it('gives each event the title of the announcement or article it is about', () => {
      const subjects = events.map((e) => [e.name, e.subject]);
      expect(subjects).toEqual([
        ['$widget_opened', null],
        ['$announcement_shown', { kind: 'announcement', id: ids.foreign, title: null }],
        ['$article_viewed', { kind: 'article', id: ids.article, title: 'Resetting your password' }],
        ['$announcement_clicked', { kind: 'announcement', id: ids.deleted, title: null }],
        ['$announcement_shown', { kind: 'announcement', id: ids.live, title: 'Dark mode is here' }],
      ]);
    });

    it("never shows another workspace's title for its id", () => {
      expect(JSON.stringify(events)).not.toContain('Rival launch plan');
    });
  });
}
