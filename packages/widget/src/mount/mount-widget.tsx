import { render } from 'preact';
import { WidgetApp, type WidgetStores } from './widget-app.js';
import { WIDGET_CSS } from './widget-styles.js';

/** The id of the widget's shadow host in the page. */
export const WIDGET_ROOT_ID = 'lumio-widget-root';

/** A mounted widget. */
export interface MountedWidget {
  /** The shadow host element (`#lumio-widget-root`). */
  host: HTMLElement;
  /** Removes the widget from the page. */
  unmount(): void;
}

/**
 * Puts the widget UI into the page inside an open shadow root, so the page's
 * CSS cannot restyle it and its CSS cannot touch the page. Open, not closed:
 * tests and assistive tooling may look inside; the isolation is the same.
 *
 * @example
 * const announcements = new AnnouncementsStore(engineAnnouncementsApi(engine), new SessionDismissals(engine.widgetId));
 * const help = new HelpStore(engineHelpApi(engine));
 * followEngine(engine, announcements);
 * followEngineHelp(engine, help);
 * mountWidget({ announcements, help, record: (name, ...props) => engine.record(name, ...props) });
 */
export function mountWidget(stores: WidgetStores, doc: Document = document): MountedWidget {
  doc.getElementById(WIDGET_ROOT_ID)?.remove();
  const host = doc.createElement('div');
  host.id = WIDGET_ROOT_ID;
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = WIDGET_CSS;
  const container = doc.createElement('div');
  shadow.append(style, container);
  (doc.body ?? doc.documentElement).appendChild(host);
  render(<WidgetApp stores={stores} />, container);
  return {
    host,
    unmount() {
      render(null, container);
      host.remove();
    },
  };
}
