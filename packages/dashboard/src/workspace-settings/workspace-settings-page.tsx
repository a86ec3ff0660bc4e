import {
  WORKSPACE_SETTINGS_LIMITS,
  workspaceSettingsPatchBody,
  type WorkspaceSettingsPatch,
  type WorkspaceSettingsView,
} from '@lumio/protocol';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { propertyCatalogueQuery } from '../conditions/use-property-keys.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { SwitchField } from '../ui/switch-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { TextField } from '../ui/text-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import './workspace-settings.css';

// One sentence each on what a setting does, shown beside it whether or not it can be changed.
const EXPLAIN = {
  browserVisibleKeys:
    "Custom properties your backend sets (server API or signed token) are never sent back to the browser, except the keys listed here, which a verified user's page can read with lumio.user.profile().",
  interestHalfLifeDays: 'After this many days without new activity, a topic counts half as much in a person’s interest profile.',
  personalisedHelp:
    'When on, help search, article lists and collections in the widget are ordered for the person reading them; when off, everyone sees text relevance and your team’s order.',
} as const;

// How many catalogue keys are offered as one-click suggestions.
const MAX_SUGGESTIONS = 24;

function settingsQuery(workspaceId: string) {
  return queryOptions({
    queryKey: ['workspace-settings', workspaceId],
    queryFn: () => api<WorkspaceSettingsView>(`/workspaces/${workspaceId}/settings`),
  });
}

/** The workspace's own settings: every member reads them, owners and admins change them. */
export function WorkspaceSettingsPage() {
  const workspace = useWorkspace();
  const settings = useQuery(settingsQuery(workspace.id));
  return (
    <>
      <PageHeader title="Workspace settings" description={`Settings that apply to every widget of ${workspace.name}.`} />
      <QueryState query={settings}>
        {(data) =>
          canManage(workspace.role) ? <SettingsForm workspaceId={workspace.id} settings={data} /> : <SettingsView settings={data} />
        }
      </QueryState>
    </>
  );
}

function SettingsForm({ workspaceId, settings }: { workspaceId: string; settings: WorkspaceSettingsView }) {
  const client = useQueryClient();
  const [keysText, setKeysText] = useState(settings.browserVisibleKeys.join('\n'));
  const [halfLife, setHalfLife] = useState(String(settings.interestHalfLifeDays));
  const [personalised, setPersonalised] = useState(settings.personalisedHelp);
  const [tried, setTried] = useState(false);
  const toast = useToast();
  const guard = useUnsavedChanges({ keysText, halfLife, personalised });
  const catalogue = useQuery({ ...propertyCatalogueQuery(workspaceId), retry: false });
  const keys = keysOf(keysText);
  const body: WorkspaceSettingsPatch = {
    browserVisibleKeys: keys,
    interestHalfLifeDays: halfLife.trim() === '' ? Number.NaN : Number(halfLife),
    personalisedHelp: personalised,
  };
  const issue = tried ? formIssue(workspaceSettingsPatchBody, body) : null;
  const suggestions = (catalogue.data ?? [])
    .filter((entry) => entry.kind === 'property' && !keys.includes(entry.key))
    .map((entry) => entry.key)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, MAX_SUGGESTIONS);
  const save = useMutation({
    mutationFn: () => api<WorkspaceSettingsView>(`/workspaces/${workspaceId}/settings`, { method: 'PATCH', body }),
    onSuccess: (next) => {
      // The form shows what the server holds now (each key once), and that is what counts as saved.
      const held = {
        keysText: next.browserVisibleKeys.join('\n'),
        halfLife: String(next.interestHalfLifeDays),
        personalised: next.personalisedHelp,
      };
      setKeysText(held.keysText);
      setHalfLife(held.halfLife);
      setPersonalised(held.personalised);
      guard.saved(held);
      setTried(false);
      toast('Workspace settings saved.');
      client.setQueryData(settingsQuery(workspaceId).queryKey, next);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!formIssue(workspaceSettingsPatchBody, body)) save.mutate();
  };
  return (
    // noValidate: the form shows the API's own rule at the field, as the other editors do, not the browser's bubble.
    <form className="card stack" onSubmit={submit} noValidate>
      <section className="stack" aria-labelledby="browser-visible-heading">
        <h2 id="browser-visible-heading">What the browser can read back</h2>
        <TextareaField
          label="Browser-visible keys"
          hint={`${EXPLAIN.browserVisibleKeys} One key per line, at most ${WORKSPACE_SETTINGS_LIMITS.maxBrowserVisibleKeys}.`}
          value={keysText}
          onChange={(e) => setKeysText(e.target.value)}
          rows={Math.min(10, Math.max(3, keys.length + 1))}
          spellCheck={false}
          autoComplete="off"
          error={issueFor(issue, 'browserVisibleKeys')}
        />
        {suggestions.length > 0 && (
          <div className="settings-suggestions">
            <p className="small muted" id="key-suggestions">
              Properties your users have (click to add):
            </p>
            <ul className="row plain-list" aria-labelledby="key-suggestions">
              {suggestions.map((key) => (
                <li key={key}>
                  <Button variant="ghost" className="settings-suggestion" onClick={() => setKeysText([...keys, key].join('\n'))}>
                    + {key}
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section className="stack" aria-labelledby="relevance-heading">
        <h2 id="relevance-heading">Interests and relevance</h2>
        <TextField
          label="Interest half-life (days)"
          hint={`${EXPLAIN.interestHalfLifeDays} From ${WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.min} to ${WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.max}.`}
          type="number"
          inputMode="numeric"
          min={WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.min}
          max={WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays.max}
          step={1}
          value={halfLife}
          onChange={(e) => setHalfLife(e.target.value)}
          error={issueFor(issue, 'interestHalfLifeDays')}
        />
        <SwitchField label="Personalised help" hint={EXPLAIN.personalisedHelp} checked={personalised} onCheckedChange={setPersonalised} />
      </section>
      <ErrorMessage error={save.error} />
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save settings
        </Button>
        <UnsavedNote dirty={guard.dirty} />
      </div>
      {guard.prompt}
    </form>
  );
}

function SettingsView({ settings }: { settings: WorkspaceSettingsView }) {
  return (
    <section className="card stack">
      <p className="muted small">Only owners and admins can change these.</p>
      <dl className="settings-list">
        <dt>Browser-visible keys</dt>
        <dd>
          {settings.browserVisibleKeys.length === 0 ? (
            'None'
          ) : (
            <ul className="plain-list">
              {settings.browserVisibleKeys.map((key) => (
                <li key={key}>
                  <code>{key}</code>
                </li>
              ))}
            </ul>
          )}
          <p className="small muted">{EXPLAIN.browserVisibleKeys}</p>
        </dd>
        <dt>Interest half-life</dt>
        <dd>
          {settings.interestHalfLifeDays} {settings.interestHalfLifeDays === 1 ? 'day' : 'days'}
          <p className="small muted">{EXPLAIN.interestHalfLifeDays}</p>
        </dd>
        <dt>Personalised help</dt>
        <dd>
          {settings.personalisedHelp ? 'On' : 'Off'}
          <p className="small muted">{EXPLAIN.personalisedHelp}</p>
        </dd>
      </dl>
    </section>
  );
}

// One key per line; blank lines and surrounding spaces are not keys.
function keysOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
