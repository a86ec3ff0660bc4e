// Entry of widget.js, the script-tag build with the UI: the SDK's global
// LumioWidget and window.Lumio (installGlobal), and once `init` has created
// the engine, the widget UI following it.
import { installGlobal, type LumioEngine } from '@lumio/sdk';
import { AnnouncementsStore } from '../announcements/announcements-store.js';
import { engineAnnouncementsApi, followEngine } from '../announcements/follow-engine.js';
import { SessionDismissals } from '../announcements/session-dismissals.js';
import { engineHelpApi, followEngineHelp } from '../help/follow-engine.js';
import { HelpStore } from '../help/help-store.js';
import { mountWidget } from '../mount/mount-widget.js';

function startUi(engine: LumioEngine): void {
  const announcements = new AnnouncementsStore(
    engineAnnouncementsApi(engine),
    new SessionDismissals(engine.widgetId, { mayStore: () => engine.persistence === 'local' }),
  );
  // The help center fetches nothing until its tab is first opened.
  const help = new HelpStore(engineHelpApi(engine));
  followEngine(engine, announcements);
  followEngineHelp(engine, help);
  const mount = () => {
    try {
      mountWidget({ announcements, help, record: (name, ...props) => engine.record(name, ...props) });
    } catch (error) {
      console.error('Lumio: the widget could not be shown', error);
    }
  };
  // widget.js loads async, usually after parsing; a copy in <head> without async runs before <body> exists.
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

installGlobal({ onInit: startUi });
