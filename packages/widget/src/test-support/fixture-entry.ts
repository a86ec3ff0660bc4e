// The Chromium component tests' page script: mounts the real widget UI over
// the real stores, fed with fixture answers through the same AnnouncementsApi
// and HelpApi the SDK engine implements in widget.js, and records what it reports.
import type { AnnouncementEventType, AnnouncementsAnswer } from '@lumio/protocol/browser';
import type { RecordEvent } from '@lumio/sdk';
import { AnnouncementsStore } from '../announcements/announcements-store.js';
import { SessionDismissals } from '../announcements/session-dismissals.js';
import { HelpStore } from '../help/help-store.js';
import { mountWidget } from '../mount/mount-widget.js';
import { fixtureHelpApi, sampleHelp, type HelpCall, type HelpFixture } from './help-fixtures.js';

/** What the test page exposes as window.lumioFixture. */
export interface LumioFixture {
  /** What the widget reported, in order. */
  events: Array<[string, AnnouncementEventType]>;
  /** The help center calls the widget made, in order. */
  helpCalls: HelpCall[];
  /** The analytics events the widget recorded (built-in name and props), in order. */
  analytics: Array<[string, unknown]>;
  /** Mounts the widget with this answer (and help center, else the sample one); resolves once it is drawn. */
  mount(answer: AnnouncementsAnswer, help?: HelpFixture): Promise<void>;
  /** What a logout does to the help center: drops what it shows and fetches again. */
  resetHelp(): void;
}

let helpStore: HelpStore | null = null;

const record: RecordEvent = (name, ...props) => void fixture.analytics.push([name, props[0]]);

const fixture: LumioFixture = {
  events: [],
  helpCalls: [],
  analytics: [],
  async mount(answer, help = sampleHelp()) {
    const announcements = new AnnouncementsStore(
      {
        list: async () => ({ ok: true, value: structuredClone(answer) }),
        send: async (id, type) => void fixture.events.push([id, type]),
        identity: () => 'anon_fixture',
        record,
      },
      new SessionDismissals('wgt_fixture'),
    );
    helpStore = new HelpStore(fixtureHelpApi(structuredClone(help), fixture.helpCalls, record));
    const { host } = mountWidget({ announcements, help: helpStore, record });
    await announcements.refresh();
    // Preact draws asynchronously: wait until the widget is on the page.
    for (let i = 0; i < 100 && !host.shadowRoot?.querySelector('.root'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  },
  resetHelp() {
    helpStore?.clear();
    void helpStore?.refresh();
  },
};
(window as Window & { lumioFixture?: LumioFixture }).lumioFixture = fixture;
