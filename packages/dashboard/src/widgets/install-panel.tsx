import type { WidgetView } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { CodeBlock } from '../ui/code-block.js';
import { QueryState } from '../ui/query-state.js';
import { widgetQueries } from './widget-queries.js';

// What the page does after login and logout; the signature comes from the host's server.
const IDENTIFY_EXAMPLE = `// After login: userId and signature come from your server (see "Signing code").
LumioWidget('identify', {
  userId: currentUser.id,
  signature: currentUser.lumioSignature,
  name: currentUser.name,
  email: currentUser.email,
  properties: { plan: 'pro' },
});

// On logout: forget the user and start a new anonymous session.
LumioWidget('resetSession');`;

/** The install snippet with the widget id filled in (built by the server), and how to identify after login. */
export function InstallPanel({ widget }: { widget: WidgetView }) {
  const install = useQuery(widgetQueries.install(widget.workspaceId, widget.id));
  return (
    <div className="stack">
      <section className="card stack widget-panel">
        <h2>1. Add the snippet</h2>
        <p>
          Paste this into the <code>&lt;head&gt;</code> of every page of your app. It loads the widget without slowing the page and queues
          calls made before it is ready.
        </p>
        {widget.allowedOrigins.length === 0 && (
          <p className="notice notice-warning">
            Any site can load this widget: no allowed origins are set. Add your app's origins in <Link to="?tab=settings">Settings</Link>.
          </p>
        )}
        <QueryState query={install} loading="Loading the snippet…">
          {({ snippet }) => (
            <div className="widget-snippet">
              <CodeBlock code={snippet} label="Install snippet" copyLabel="Copy snippet" />
            </div>
          )}
        </QueryState>
      </section>
      <section className="card stack widget-panel">
        <h2>2. Identify the user after login</h2>
        <p>
          Tell the widget who is logged in. Your server computes <code>signature</code> from the user id with the widget's signing secret (
          <Link to="?tab=signing">Signing code</Link>); the secret itself never goes to the browser.
          {widget.verificationMode === 'required'
            ? ' This widget requires the signature: an identify without one is refused.'
            : ' Without a signature the user is identified but flagged unverified, and cannot read their own saved data.'}
        </p>
        <CodeBlock code={IDENTIFY_EXAMPLE} label="Identify example" copyLabel="Copy example" />
        <p className="small muted">
          The signature covers the user id only: name, email and properties sent from the browser are stored as claimed values.
        </p>
      </section>
    </div>
  );
}
