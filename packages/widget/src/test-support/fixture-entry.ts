// The Chromium component tests' page script: mounts the real widget UI over
// the real store, fed with fixture answers through the same AnnouncementsApi
// the SDK engine implements in widget.js, and records what it reports.
import type { AnnouncementEventType, AnnouncementsAnswer } from '@lumio/protocol/browser';
import { AnnouncementsStore } from '../announcements/announcements-store.js';
import { SessionDismissals } from '../announcements/session-dismissals.js';
import { mountWidget } from '../mount/mount-widget.js';

/** What the test page exposes as window.lumioFixture. */
export interface LumioFixture {
  /** What the widget reported, in order. */
  events: Array<[string, AnnouncementEventType]>;
  /** Mounts the widget with this answer; resolves once it is drawn. */
  mount(answer: AnnouncementsAnswer): Promise<void>;
}

const fixture: LumioFixture = {
  events: [],
  async mount(answer) {
    const store = new AnnouncementsStore(
      {
        list: async () => ({ ok: true, value: structuredClone(answer) }),
        send: async (id, type) => void fixture.events.push([id, type]),
        identity: () => 'anon_fixture',
      },
      new SessionDismissals('wgt_fixture'),
    );
    const { host } = mountWidget(store);
    await store.refresh();
    // Preact draws asynchronously: wait until the widget is on the page.
    for (let i = 0; i < 100 && !host.shadowRoot?.querySelector('.root'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  },
};
(window as Window & { lumioFixture?: LumioFixture }).lumioFixture = fixture;
