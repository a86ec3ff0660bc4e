import { HEX_COLOUR, widgetPatchBody, type VerificationMode, type WidgetBody, type WidgetPosition, type WidgetView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue } from '../api/form-issue.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { parseOriginsText } from './origins-text.js';
import { RequiredModeDialog } from './required-mode-dialog.js';
import { WidgetFields } from './widget-fields.js';
import { verificationModeLabel } from './verification-modes.js';
import { widgetPath, widgetQueries, widgetsKey } from './widget-queries.js';

const POSITION_OPTIONS: ReadonlyArray<readonly [WidgetPosition, string]> = [
  ['bottom-right', 'Bottom right'],
  ['bottom-left', 'Bottom left'],
];

/** A widget's settings: editable by owners and admins (switching to `required` is confirmed with recent numbers), read-only for members. */
export function WidgetSettingsForm({ widget, canEdit }: { widget: WidgetView; canEdit: boolean }) {
  if (!canEdit) return <WidgetSettingsView widget={widget} />;
  return <EditableSettings widget={widget} />;
}

function EditableSettings({ widget }: { widget: WidgetView }) {
  const [name, setName] = useState(widget.name);
  const [origins, setOrigins] = useState(widget.allowedOrigins.join('\n'));
  const [mode, setMode] = useState<VerificationMode>(widget.verificationMode);
  const [color, setColor] = useState(widget.appearance.color);
  const [position, setPosition] = useState<WidgetPosition>(widget.appearance.position);
  const [confirming, setConfirming] = useState(false);
  const [tried, setTried] = useState(false);
  const client = useQueryClient();
  const toast = useToast();
  const guard = useUnsavedChanges({ name, origins, mode, color, position });
  const body: WidgetBody = { name, allowedOrigins: parseOriginsText(origins), verificationMode: mode, appearance: { color, position } };
  const issue = tried ? formIssue(widgetPatchBody, body) : null;
  const colourIssue = tried && !HEX_COLOUR.test(color) ? 'Use a colour code like #4f46e5.' : undefined;
  const save = useMutation({
    mutationFn: () => api<WidgetView>(widgetPath(widget.workspaceId, widget.id), { method: 'PATCH', body }),
    onSuccess: async (next) => {
      setConfirming(false);
      toast('Settings saved.');
      // The form shows what the server holds now (origins normalised), and that is what counts as saved.
      const held = {
        name: next.name,
        origins: next.allowedOrigins.join('\n'),
        mode: next.verificationMode,
        color: next.appearance.color,
        position: next.appearance.position,
      };
      setName(held.name);
      setOrigins(held.origins);
      guard.saved(held);
      client.setQueryData(widgetQueries.widget(widget.workspaceId, widget.id).queryKey, next);
      await client.invalidateQueries({ queryKey: widgetQueries.list(widget.workspaceId).queryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (formIssue(widgetPatchBody, body) || !HEX_COLOUR.test(color)) return;
    // Tightening to `required` refuses traffic that works today: ask first, with the numbers.
    if (mode === 'required' && widget.verificationMode !== 'required') setConfirming(true);
    else save.mutate();
  };
  return (
    <section className="card">
      <h2>Settings</h2>
      <form className="stack" onSubmit={submit}>
        <WidgetFields
          name={name}
          onName={setName}
          origins={origins}
          onOrigins={setOrigins}
          mode={mode}
          onMode={setMode}
          issue={issue}
          originsHint="One per line, like https://app.example.com or https://*.example.com. The widget loads only on these sites; empty allows any site."
          modeHint={
            widget.verificationMode === 'required'
              ? 'Required: identify without a valid signature is refused.'
              : 'Switch to required once Identity health shows every identify verified; you will see recent numbers before it is saved.'
          }
        />
        <fieldset className="widget-fieldset">
          <legend>Appearance</legend>
          <div className="row">
            {/* The picker for the mouse; the code field for the keyboard (the picker's popup is the browser's own). */}
            <TextField
              label="Brand colour"
              type="color"
              value={HEX_COLOUR.test(color) ? color : widget.appearance.color}
              onChange={(e) => setColor(e.target.value)}
            />
            <TextField
              label="Colour code"
              value={color}
              onChange={(e) => setColor(e.target.value.trim())}
              maxLength={7}
              spellCheck={false}
              autoComplete="off"
              hint="#rrggbb"
              error={colourIssue}
            />
            <SelectField
              label="Launcher position"
              options={POSITION_OPTIONS}
              value={position}
              onChange={(e) => setPosition(e.target.value as WidgetPosition)}
            />
          </div>
        </fieldset>
        {!confirming && <ErrorMessage error={save.error} />}
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending && !confirming}>
            Save settings
          </Button>
          <span className="small muted">
            Last changed {formatTime(widget.updatedAt)}
            <UnsavedNote dirty={guard.dirty} />
          </span>
        </div>
      </form>
      <RequiredModeDialog
        widget={widget}
        open={confirming}
        onOpenChange={(next) => {
          setConfirming(next);
          if (!next) save.reset();
        }}
        onConfirm={() => save.mutate()}
        saving={save.isPending}
        error={save.error}
      />
      {guard.prompt}
    </section>
  );
}

function WidgetSettingsView({ widget }: { widget: WidgetView }) {
  return (
    <section className="card">
      <h2>Settings</h2>
      <p className="muted small">Only owners and admins can change these.</p>
      <dl className="widget-settings-list">
        <dt>Name</dt>
        <dd>{widget.name}</dd>
        <dt>Allowed origins</dt>
        <dd>
          {widget.allowedOrigins.length === 0 ? (
            'Any site'
          ) : (
            <ul className="plain-list">
              {widget.allowedOrigins.map((o) => (
                <li key={o}>
                  <code>{o}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Verification mode</dt>
        <dd>{verificationModeLabel(widget.verificationMode)}</dd>
        <dt>Brand colour</dt>
        <dd>
          <span className="widget-color-swatch" style={{ background: widget.appearance.color }} aria-hidden="true" />{' '}
          {widget.appearance.color}
        </dd>
        <dt>Launcher position</dt>
        <dd>{POSITION_OPTIONS.find(([p]) => p === widget.appearance.position)?.[1] ?? widget.appearance.position}</dd>
      </dl>
    </section>
  );
}
