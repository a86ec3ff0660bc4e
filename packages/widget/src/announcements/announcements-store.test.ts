import type { ApiResult } from '@lumio/sdk';
import { describe, expect, it } from 'vitest';
import { announcement, sampleAnswer } from '../test-support/fixtures.js';
import { TabStorage } from '../test-support/tab-storage.js';
import type { AnnouncementEventType, AnnouncementsAnswer } from '@lumio/protocol/browser';
import { AnnouncementsStore, type AnnouncementsApi } from './announcements-store.js';
import { SessionDismissals } from './session-dismissals.js';

function fakeApi(answer: AnnouncementsAnswer | (() => Promise<ApiResult<AnnouncementsAnswer>>)) {
  const sent: Array<[string, AnnouncementEventType]> = [];
  const recorded: Array<[string, unknown]> = [];
  const api: AnnouncementsApi & { sent: typeof sent; recorded: typeof recorded; anonymousId: string } = {
    sent,
    recorded,
    anonymousId: 'anon_a',
    list: typeof answer === 'function' ? answer : async () => ({ ok: true, value: structuredClone(answer) }),
    send: async (id, type) => void sent.push([id, type]),
    identity: () => api.anonymousId,
    record: (name, ...props) => void recorded.push([name, props[0]]),
  };
  return api;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AnnouncementsStore', () => {
  it('shows the best popup and banner and the posts, with the unread count and the theme', async () => {
    const store = new AnnouncementsStore(fakeApi(sampleAnswer()), new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    expect(store.view.loaded).toBe(false);
    await store.refresh();
    const { view } = store;
    expect(view).toMatchObject({ loaded: true, popup: { id: 'ann_popup' }, banner: { id: 'ann_banner' }, unread: 1 });
    expect(view.posts.map((p) => p.id)).toEqual(['ann_post_new', 'ann_post_old']);
    expect(view.theme).toMatchObject({ color: '#4f46e5', onColor: '#ffffff', position: 'bottom-right' });
  });

  it('reports seen once per page (a post the server knows as seen not at all), clicked, and dismissed', async () => {
    const api = fakeApi(sampleAnswer());
    const store = new AnnouncementsStore(api, new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    await store.refresh();
    store.seen('ann_popup');
    store.seen('ann_popup');
    store.seen('ann_post_new');
    store.seen('ann_post_old');
    store.clicked('ann_popup');
    store.dismiss('ann_popup');
    store.dismiss('ann_popup');
    store.seen('ann_unknown');
    await flush();
    expect(api.sent).toEqual([
      ['ann_popup', 'seen'],
      ['ann_post_new', 'seen'],
      ['ann_popup', 'clicked'],
      ['ann_popup', 'dismissed'],
    ]);
    expect(store.view.unread).toBe(0);
    expect(store.view.popup).toBeNull();
  });

  it('records $announcement_shown once per page and identity (also for a post already seen), clicked and dismissed', async () => {
    const api = fakeApi(sampleAnswer());
    const store = new AnnouncementsStore(api, new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    await store.refresh();
    store.seen('ann_popup');
    store.seen('ann_popup');
    store.seen('ann_post_old');
    store.clicked('ann_popup');
    store.dismiss('ann_popup');
    store.dismiss('ann_popup');
    store.seen('ann_unknown');
    store.clicked('ann_unknown');
    expect(api.recorded).toEqual([
      ['$announcement_shown', { announcementId: 'ann_popup' }],
      ['$announcement_shown', { announcementId: 'ann_post_old' }],
      ['$announcement_clicked', { announcementId: 'ann_popup' }],
      ['$announcement_dismissed', { announcementId: 'ann_popup' }],
    ]);
    // After a logout the next viewer's impressions count again.
    store.clear();
    await store.refresh();
    store.seen('ann_popup');
    expect(api.recorded.at(-1)).toEqual(['$announcement_shown', { announcementId: 'ann_popup' }]);
    expect(api.recorded).toHaveLength(5);
  });

  it('keeps working when recording an event throws', async () => {
    const api = fakeApi(sampleAnswer());
    api.record = () => {
      throw new Error('analytics broke');
    };
    const store = new AnnouncementsStore(api, new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    await store.refresh();
    expect(() => store.dismiss('ann_popup')).not.toThrow();
    expect(store.view.popup).toBeNull();
  });

  it('shows the next popup once the first is dismissed', async () => {
    const answer = sampleAnswer({
      announcements: [announcement({ id: 'one', kind: 'popup', priority: 2 }), announcement({ id: 'two', kind: 'popup', priority: 1 })],
    });
    const store = new AnnouncementsStore(fakeApi(answer), new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    await store.refresh();
    store.dismiss('one');
    expect(store.view.popup?.id).toBe('two');
  });

  it('keeps an every_session dismissal for the rest of the browser session, even though the server sends it again', async () => {
    const tab = new TabStorage();
    const answer = sampleAnswer({
      announcements: [
        announcement({ id: 'session_popup', kind: 'popup', frequency: 'every_session' }),
        announcement({ id: 'plain_banner', kind: 'banner', frequency: 'until_dismissed' }),
      ],
    });
    const firstPage = new AnnouncementsStore(fakeApi(answer), new SessionDismissals('wgt_1', { sessionStorage: () => tab }));
    await firstPage.refresh();
    firstPage.dismiss('session_popup');
    firstPage.dismiss('plain_banner');

    // Next page, same tab: the server still returns both (the banner only because the test's server ignores the dismissal).
    const nextPage = new AnnouncementsStore(fakeApi(answer), new SessionDismissals('wgt_1', { sessionStorage: () => tab }));
    await nextPage.refresh();
    expect(nextPage.view.popup).toBeNull();
    expect(nextPage.view.banner?.id).toBe('plain_banner');

    // A new browser session shows it again, and so does another identity in this one.
    const newSession = new AnnouncementsStore(fakeApi(answer), new SessionDismissals('wgt_1', { sessionStorage: () => new TabStorage() }));
    await newSession.refresh();
    expect(newSession.view.popup?.id).toBe('session_popup');
    const otherUserApi = fakeApi(answer);
    otherUserApi.anonymousId = 'anon_b';
    const otherUser = new AnnouncementsStore(otherUserApi, new SessionDismissals('wgt_1', { sessionStorage: () => tab }));
    await otherUser.refresh();
    expect(otherUser.view.popup?.id).toBe('session_popup');
  });

  it('keeps what is shown when a fetch fails or throws, and never throws itself', async () => {
    let next: () => Promise<ApiResult<AnnouncementsAnswer>> = async () => ({ ok: true, value: sampleAnswer() });
    const store = new AnnouncementsStore(
      fakeApi(() => next()),
      new SessionDismissals('wgt_1', { sessionStorage: () => null }),
    );
    await store.refresh();
    next = async () => ({ ok: false, code: 'network_error', message: 'down', status: 0 });
    await store.refresh();
    expect(store.view.popup?.id).toBe('ann_popup');
    next = () => Promise.reject(new Error('boom'));
    await expect(store.refresh()).resolves.toBeUndefined();
    expect(store.view.popup?.id).toBe('ann_popup');
  });

  it('drops the answer of a request made before a logout, and what the previous identity saw', async () => {
    const pending: Array<(r: ApiResult<AnnouncementsAnswer>) => void> = [];
    const store = new AnnouncementsStore(
      fakeApi(() => new Promise((resolve) => pending.push(resolve))),
      new SessionDismissals('wgt_1', { sessionStorage: () => null }),
    );
    const views: Array<string | null> = [];
    store.subscribe((view) => views.push(view.popup?.id ?? null));
    const first = store.refresh();
    pending[0]!({ ok: true, value: sampleAnswer() });
    await first;
    const beforeLogout = store.refresh();
    store.clear();
    const afterLogout = store.refresh();
    pending[2]!({ ok: true, value: sampleAnswer({ announcements: [] }) });
    pending[1]!({ ok: true, value: sampleAnswer() });
    await Promise.all([beforeLogout, afterLogout]);
    expect(views).toEqual(['ann_popup', null, null]);
    expect(store.view.loaded).toBe(true);
  });

  it('reads a malformed answer as nothing to show with the default look', async () => {
    const store = new AnnouncementsStore(
      fakeApi(async () => ({ ok: true, value: { appearance: { color: 'url(x)' } } as unknown as AnnouncementsAnswer })),
      new SessionDismissals('wgt_1', { sessionStorage: () => null }),
    );
    await store.refresh();
    expect(store.view).toMatchObject({ loaded: true, popup: null, banner: null, posts: [], theme: { color: '#4f46e5' } });
  });
});
