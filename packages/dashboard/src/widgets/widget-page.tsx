import * as Tabs from '@radix-ui/react-tabs';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import { DeleteWidgetButton } from './delete-widget-button.js';
import { IdentityHealthPanel } from './identity-health-panel.js';
import { InstallPanel } from './install-panel.js';
import { SigningCodePanel } from './signing-code-panel.js';
import { SigningSecretsPanel } from './signing-secrets-panel.js';
import { verificationModeLabel } from './verification-modes.js';
import { widgetQueries } from './widget-queries.js';
import { WidgetSettingsForm } from './widget-settings-form.js';
import './widgets.css';

const TABS = [
  ['install', 'Install'],
  ['signing', 'Signing code'],
  ['settings', 'Settings'],
  ['secrets', 'Signing secrets'],
  ['health', 'Identity health'],
] as const;
type Tab = (typeof TABS)[number][0];

/** One widget: install snippet, signing code, settings, secrets and identity health, as tabs kept in the URL (`?tab=`). */
export function WidgetPage() {
  const workspace = useWorkspace();
  const { widgetId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const widget = useQuery(widgetQueries.widget(workspace.id, widgetId));
  const manage = canManage(workspace.role);
  const requested = search.get('tab');
  const tab: Tab = TABS.some(([id]) => id === requested) ? (requested as Tab) : 'install';
  return (
    <>
      <p className="small">
        <Link to={`/w/${workspace.id}/widgets`}>← Widgets</Link>
      </p>
      <QueryState query={widget} loading="Loading the widget…">
        {(w) => (
          <>
            <PageHeader
              title={w.name}
              description={
                <>
                  <code>{w.id}</code> · {verificationModeLabel(w.verificationMode)}
                </>
              }
              actions={manage && <DeleteWidgetButton widget={w} />}
            />
            <Tabs.Root
              value={tab}
              onValueChange={(next) =>
                setSearch(
                  (current) => {
                    const params = new URLSearchParams(current);
                    params.set('tab', next);
                    return params;
                  },
                  { replace: true },
                )
              }
            >
              <Tabs.List className="tabs-list" aria-label="Widget sections">
                {TABS.map(([id, label]) => (
                  <Tabs.Trigger key={id} value={id} className="tabs-trigger">
                    {label}
                  </Tabs.Trigger>
                ))}
              </Tabs.List>
              <Tabs.Content value="install">
                <InstallPanel widget={w} />
              </Tabs.Content>
              <Tabs.Content value="signing">
                <SigningCodePanel />
              </Tabs.Content>
              <Tabs.Content value="settings">
                <WidgetSettingsForm widget={w} canEdit={manage} />
              </Tabs.Content>
              <Tabs.Content value="secrets">
                {manage ? (
                  <SigningSecretsPanel widget={w} />
                ) : (
                  <section className="card">
                    <h2>Signing secrets</h2>
                    <p>
                      This widget has a signing secret; your server uses it to sign user ids. Only owners and admins can see or rotate it —
                      ask one if your server needs it.
                    </p>
                  </section>
                )}
              </Tabs.Content>
              <Tabs.Content value="health">
                <IdentityHealthPanel widget={w} canReadLog={manage} />
              </Tabs.Content>
            </Tabs.Root>
          </>
        )}
      </QueryState>
    </>
  );
}
