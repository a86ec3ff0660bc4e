import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  workspaceApi,
  createApiKey,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  type Session,
} from '../test-support/api-helpers.js';

const DAY = 24 * 3600_000;

for (const dialect of DIALECTS) {
  describe(`announcements [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let widget: { widgetId: string; secret: string };
    let apiKey: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      widget = await createWidget(t, owner);
      apiKey = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    const api = (s: Session, method: string, path: string, payload?: unknown) => workspaceApi(t, s)(method, path, payload);

    const create = async (body: Record<string, unknown>, as: Session = member) => {
      const res = await api(as, 'POST', '/announcements', { kind: 'popup', title: 'Hello', body: 'Hi', status: 'live', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; status: string; html: string };
    };

    /** A widget session of a user: verified (signed), identified (unsigned) or anonymous. */
    const sessionOf = async (
      userId: string | null,
      state: 'verified' | 'identified' | 'anonymous',
      properties: object = {},
      anonymousId?: string,
    ) => {
      const session = await startSession(t, widget.widgetId, anonymousId);
      if (state === 'anonymous' || userId === null) return session;
      const res = await identify(t, widget.widgetId, session.token, {
        userId,
        ...(state === 'verified' ? { signature: sign(userId, widget.secret) } : {}),
        properties,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.state).toBe(state);
      return { token: res.body.token as string, anonymousId: session.anonymousId };
    };

    const feed = async (token: string) => {
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/announcements`, bearer: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as {
        appearance: { color: string; position: string };
        announcements: Array<{ id: string; title: string; html: string }>;
      };
    };
    const ids = async (token: string) => (await feed(token)).announcements.map((a) => a.id);
    const event = (token: string, id: string, type: string) =>
      call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/announcements/${id}/events`, bearer: token, payload: { type } });

    it('lets a member write, publish and end an announcement, each change audited; deleting takes an admin', async () => {
      const draft = await create({ title: 'Draft one', status: 'draft' });
      expect(draft.status).toBe('draft');
      const anon = await sessionOf(null, 'anonymous');
      expect(await ids(anon.token)).not.toContain(draft.id);

      const live = await api(member, 'PATCH', `/announcements/${draft.id}`, { status: 'live', priority: 5 });
      expect(live.body).toMatchObject({ status: 'live', priority: 5 });
      expect(await ids(anon.token)).toContain(draft.id);
      const ended = await api(member, 'PATCH', `/announcements/${draft.id}`, { status: 'ended' });
      expect(ended.body.status).toBe('ended');
      expect(await ids(anon.token)).not.toContain(draft.id);

      expect((await api(member, 'DELETE', `/announcements/${draft.id}`)).status).toBe(403);
      expect((await api(owner, 'DELETE', `/announcements/${draft.id}`)).status).toBe(204);
      expect((await api(member, 'GET', `/announcements/${draft.id}`)).status).toBe(404);

      const audit = await api(owner, 'GET', '/audit-log');
      const mine = audit.body.entries.filter((e: { target: { id: string } }) => e.target.id === draft.id);
      expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
        'announcement.create',
        'announcement.delete',
        'announcement.status_change',
        'announcement.status_change',
        'announcement.update',
        'announcement.update',
      ]);
      const change = mine.find(
        (e: { action: string; details: { changed?: string[] } }) =>
          e.action === 'announcement.update' && e.details.changed?.includes('priority'),
      );
      expect(change.details.changed).toEqual(['priority', 'status']);
      expect(change.actor.id).toBe(member.accountId);
    });

    it('renders Markdown to sanitised HTML when saved: no script, no handlers, no javascript: links, links get rel=noopener', async () => {
      const body = [
        '# News',
        '**Bold** and [docs](https://example.com/docs) and [bad](javascript:alert(1))',
        '<script>alert(1)</script><img src="https://example.com/x.png" onerror="alert(2)">',
        '<a href="https://example.com" onclick="steal()">click</a> <iframe src="https://evil.example"></iframe>',
        '<p style="position:fixed">styled</p>',
      ].join('\n\n');
      const a = await create({ body, kind: 'post' });
      expect(a.html).toContain('<h1>News</h1>');
      expect(a.html).toContain('<strong>Bold</strong>');
      expect(a.html).toContain('<a href="https://example.com/docs" rel="noopener noreferrer" target="_blank">docs</a>');
      for (const bad of ['<script', 'alert(1)', 'onerror', 'onclick', 'javascript:', '<iframe', 'style='])
        expect(a.html).not.toContain(bad);
      expect(a.html).toContain('<img src="https://example.com/x.png"');
      // The widget gets the same sanitised HTML.
      const anon = await sessionOf(null, 'anonymous');
      expect((await feed(anon.token)).announcements.find((x) => x.id === a.id)?.html).toBe(a.html);
    });

    it('refuses bad input with stable codes and saves nothing', async () => {
      const before = (await api(member, 'GET', '/announcements')).body.announcements.length;
      const cases: Array<[Record<string, unknown>, number, string, string?]> = [
        [{ cta: { label: 'Go', url: 'javascript:alert(1)' } }, 400, 'invalid_request', 'cta.url'],
        [{ kind: 'toast' }, 400, 'invalid_request', 'kind'],
        [{ title: '' }, 400, 'invalid_request', 'title'],
        [{ title: 'x'.repeat(201) }, 400, 'invalid_request', 'title'],
        [{ audience: { condition: { plan: { $where: 'sleep(1)' } } } }, 400, 'invalid_condition'],
        [{ audience: { condition: { 'constructor.prototype': 1 } } }, 400, 'invalid_condition'],
        [{ audience: { segmentId: 'seg_missing' } }, 400, 'invalid_request', 'audience.segmentId'],
        [{ audience: { condition: { $segment: 'seg_missing' } } }, 400, 'invalid_condition'],
        [{ startsAt: 2000, endsAt: 1000 }, 400, 'invalid_request', 'endsAt'],
        [{ unknownField: 1 }, 400, 'invalid_request'],
      ];
      for (const [body, status, code, field] of cases) {
        const res = await api(member, 'POST', '/announcements', { kind: 'popup', title: 'T', ...body });
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.error.code, JSON.stringify(body)).toBe(code);
        if (field) expect(res.body.error.details.field).toBe(field);
      }
      const bad = await api(member, 'POST', '/announcements', {
        kind: 'popup',
        title: 'T',
        audience: { condition: { $or: [{ plan: { $in: 'x' } }] } },
      });
      expect(bad.body.error.details.issues[0]).toMatchObject({ path: '$or[0].plan.$in' });
      expect((await api(member, 'GET', '/announcements')).body.announcements.length).toBe(before);
    });

    it('delivers an announcement only to the users it targets, judged on the stored profile', async () => {
      const free = await create({
        title: 'Upgrade to Pro',
        body: 'Secret offer for free users',
        audience: { condition: { plan: 'free' } },
      });
      const ada = await sessionOf('ada', 'verified', { plan: 'free' });
      const grace = await sessionOf('grace', 'verified', { plan: 'pro' });
      expect(await ids(ada.token)).toContain(free.id);
      const forGrace = await feed(grace.token);
      expect(forGrace.announcements.map((a) => a.id)).not.toContain(free.id);
      // Nothing of another audience's content reaches a non-matching user.
      expect(JSON.stringify(forGrace)).not.toContain('Secret offer');
      // Events on an announcement this session is not targeted by are refused like unknown ids.
      expect((await event(grace.token, free.id, 'seen')).status).toBe(404);

      // A plan change through identify moves the user in or out on the next load.
      await identify(t, widget.widgetId, grace.token, {
        userId: 'grace',
        signature: sign('grace', widget.secret),
        properties: { plan: 'free' },
      });
      expect(await ids(grace.token)).toContain(free.id);
      await identify(t, widget.widgetId, ada.token, { userId: 'ada', signature: sign('ada', widget.secret), properties: { plan: 'pro' } });
      expect(await ids(ada.token)).not.toContain(free.id);
    });

    it('keeps who may see it: verified only, identified, everyone', async () => {
      const verified = await create({ title: 'V', audience: { visibility: 'verified' } });
      const identified = await create({ title: 'I', audience: { visibility: 'identified' } });
      const anon = await sessionOf(null, 'anonymous');
      const claimed = await sessionOf('vis-user', 'identified');
      const proven = await sessionOf('vis-user', 'verified');
      expect(await ids(anon.token)).not.toEqual(expect.arrayContaining([verified.id]));
      expect(await ids(anon.token)).not.toContain(identified.id);
      expect(await ids(claimed.token)).toContain(identified.id);
      expect(await ids(claimed.token)).not.toContain(verified.id);
      expect(await ids(proven.token)).toEqual(expect.arrayContaining([verified.id, identified.id]));
    });

    it('never targets an unverified claimant on the verified profile, and honours trusted-only audiences', async () => {
      const enterprise = await create({ title: 'Enterprise', audience: { condition: { plan: 'enterprise' } } });
      const trustedOnly = await create({ title: 'Trusted', audience: { condition: { plan: 'enterprise' }, properties: 'trusted' } });
      // The real user: plan set by the server API (trusted).
      const put = await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/boss',
        bearer: apiKey,
        payload: { properties: { plan: 'enterprise' } },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const real = await sessionOf('boss', 'verified');
      expect(await ids(real.token)).toEqual(expect.arrayContaining([enterprise.id, trustedOnly.id]));
      // Someone claiming the same userId without a signature sees neither.
      const claimant = await sessionOf('boss', 'identified');
      expect(await ids(claimant.token)).not.toContain(enterprise.id);
      expect(await ids(claimant.token)).not.toContain(trustedOnly.id);
      // A verified user whose plan came from the browser matches the normal audience only.
      const self = await sessionOf('self-declared', 'verified', { plan: 'enterprise' });
      expect(await ids(self.token)).toContain(enterprise.id);
      expect(await ids(self.token)).not.toContain(trustedOnly.id);
    });

    it('applies frequency: once, until dismissed (across devices of a verified user), every session', async () => {
      const once = await create({ title: 'Once', frequency: 'once', audience: { condition: { userId: 'freq' } } });
      const untilDismissed = await create({ title: 'Until', frequency: 'until_dismissed', audience: { condition: { userId: 'freq' } } });
      const every = await create({ title: 'Every', frequency: 'every_session', audience: { condition: { userId: 'freq' } } });
      const laptop = await sessionOf('freq', 'verified');
      expect(await ids(laptop.token)).toEqual(expect.arrayContaining([once.id, untilDismissed.id, every.id]));
      for (const id of [once.id, untilDismissed.id, every.id]) expect((await event(laptop.token, id, 'seen')).body).toEqual({ ok: true });
      expect(await ids(laptop.token)).not.toContain(once.id);
      expect(await ids(laptop.token)).toContain(untilDismissed.id);
      expect((await feed(laptop.token)).announcements.find((a) => a.id === untilDismissed.id)).toMatchObject({
        seen: true,
        dismissed: false,
      });
      await event(laptop.token, untilDismissed.id, 'dismissed');
      await event(laptop.token, every.id, 'dismissed');
      const phone = await sessionOf('freq', 'verified');
      expect(await ids(phone.token)).not.toContain(untilDismissed.id);
      expect((await feed(phone.token)).announcements.find((a) => a.id === every.id)).toMatchObject({ dismissed: true });
      // A repeat event is accepted and changes nothing.
      expect((await event(phone.token, untilDismissed.id, 'dismissed')).body).toEqual({ ok: true });
      expect((await api(member, 'GET', `/announcements/${untilDismissed.id}/stats`)).body).toEqual({ seen: 1, clicked: 0, dismissed: 1 });
    });

    it('keeps unverified and anonymous state apart from the verified user, and merges anonymous state on verified login', async () => {
      const tip = await create({ title: 'Tip', frequency: 'until_dismissed', kind: 'banner' });
      const claimant = await sessionOf('merge-user', 'identified');
      await event(claimant.token, tip.id, 'dismissed');
      expect(await ids(claimant.token)).not.toContain(tip.id);
      const verified = await sessionOf('merge-user', 'verified');
      expect(await ids(verified.token)).toContain(tip.id);

      // Dismissed while anonymous, then logged in (verified) on the same browser: stays dismissed, on every device.
      const browser = await sessionOf(null, 'anonymous');
      await event(browser.token, tip.id, 'dismissed');
      const loggedIn = await sessionOf('merge-user', 'verified', {}, browser.anonymousId);
      // Merged by identify itself, before the widget asks for anything.
      const viewers = await t.adapter.db
        .selectFrom('announcement_states')
        .select(['viewer', 'dismissed_at'])
        .where('announcement_id', '=', tip.id)
        .where('viewer', 'in', [`a:${browser.anonymousId}`, 'v:merge-user'])
        .execute();
      expect(viewers).toEqual([{ viewer: 'v:merge-user', dismissed_at: t.clock.now() }]);
      expect(await ids(loggedIn.token)).not.toContain(tip.id);
      const otherDevice = await sessionOf('merge-user', 'verified');
      expect(await ids(otherDevice.token)).not.toContain(tip.id);
      // An unverified login does not merge.
      const tip2 = await create({ title: 'Tip 2', frequency: 'until_dismissed', kind: 'banner' });
      const browser2 = await sessionOf(null, 'anonymous');
      await event(browser2.token, tip2.id, 'dismissed');
      await sessionOf('merge-user-2', 'identified', {}, browser2.anonymousId);
      expect(await ids((await sessionOf('merge-user-2', 'verified')).token)).toContain(tip2.id);
    });

    it('follows the schedule: scheduled before its start, live until its end, then ended', async () => {
      const now = t.clock.now();
      const a = await create({ title: 'Scheduled', startsAt: now + DAY, endsAt: now + 2 * DAY });
      expect(a.status).toBe('scheduled');
      const anon = await sessionOf(null, 'anonymous');
      expect(await ids(anon.token)).not.toContain(a.id);
      try {
        // Read through the service: a day of test-clock time would idle out the dashboard session.
        t.clock.advance(DAY + 1);
        expect((await t.services.announcements.get(member.workspaceId, a.id)).status).toBe('live');
        expect(await ids((await sessionOf(null, 'anonymous')).token)).toContain(a.id);
        t.clock.advance(DAY);
        expect((await t.services.announcements.get(member.workspaceId, a.id)).status).toBe('ended');
        expect(await ids((await sessionOf(null, 'anonymous')).token)).not.toContain(a.id);
      } finally {
        // Dashboard sessions idle out after 12 h of test-clock time: put the clock back.
        t.clock.current = now;
      }
    });

    it('orders by priority, serves the widget appearance, counts the audience and the stats', async () => {
      await api(owner, 'PATCH', `/widgets/${widget.widgetId}`, { appearance: { color: '#0F766E', position: 'bottom-left' } });
      const low = await create({ title: 'Low', priority: -5, audience: { condition: { team: 'order' } } });
      const high = await create({ title: 'High', priority: 50, audience: { condition: { team: 'order' } } });
      const s = await sessionOf('order-1', 'verified', { team: 'order' });
      await sessionOf('order-2', 'verified', { team: 'order' });
      const answer = await feed(s.token);
      expect(answer.appearance).toEqual({ color: '#0f766e', position: 'bottom-left', bannerPlacement: 'overlay' });
      const order = answer.announcements.map((a) => a.id);
      expect(order.indexOf(high.id)).toBeLessThan(order.indexOf(low.id));
      expect(order.indexOf(high.id)).toBe(0);
      const audience = await api(member, 'GET', `/announcements/${high.id}/audience`);
      expect(audience.body.count).toBe(2);
      expect(audience.body.sample.map((u: { userId: string }) => u.userId).sort()).toEqual(['order-1', 'order-2']);
      await event(s.token, high.id, 'seen');
      await event(s.token, high.id, 'clicked');
      expect((await api(member, 'GET', `/announcements/${high.id}/stats`)).body).toEqual({ seen: 1, clicked: 1, dismissed: 0 });
      const bad = await api(owner, 'PATCH', `/widgets/${widget.widgetId}`, { appearance: { color: 'red;background:url(x)' } });
      expect(bad.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'appearance.color' } });
    });

    it('targets through a saved segment, and follows an edit of the segment at once', async () => {
      const seg = await api(member, 'POST', '/segments', {
        name: 'Admins on free',
        condition: { plan: 'free', role: { $in: ['admin', 'owner'] } },
      });
      expect(seg.status, JSON.stringify(seg.body)).toBe(201);
      const a = await create({ title: 'For admins', audience: { segmentId: seg.body.id } });
      expect((await api(member, 'GET', `/announcements/${a.id}`)).body.audienceSummary).toBe('users where in segment "Admins on free"');
      const admin = await sessionOf('seg-admin', 'verified', { plan: 'free', role: 'admin' });
      const user = await sessionOf('seg-user', 'verified', { plan: 'free', role: 'member' });
      expect(await ids(admin.token)).toContain(a.id);
      expect(await ids(user.token)).not.toContain(a.id);
      await api(member, 'PATCH', `/segments/${seg.body.id}`, { condition: { plan: 'free' } });
      expect(await ids(user.token)).toContain(a.id);
      const del = await api(member, 'DELETE', `/segments/${seg.body.id}`);
      expect(del.status).toBe(409);
      expect(del.body.error).toMatchObject({ code: 'segment_in_use', details: { usedBy: [{ type: 'announcement', id: a.id }] } });
    });

    it('keeps a large live set fast to choose from', async () => {
      const s = await sessionOf('perf', 'verified', { plan: 'pro', seats: 12 });
      const rows = Array.from({ length: 200 }, (_, i) => ({
        kind: 'post',
        title: `P${i}`,
        audience: { condition: { seats: { $gte: i } } },
      }));
      for (const body of rows) await create(body);
      const answer = await feed(s.token);
      expect(answer.announcements.length).toBeLessThanOrEqual(100);
      expect(answer.announcements.filter((a) => a.title.startsWith('P')).length).toBe(13);
    });
  });
}
