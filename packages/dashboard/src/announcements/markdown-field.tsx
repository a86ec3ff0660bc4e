import * as Tabs from '@radix-ui/react-tabs';
import { useId, useState } from 'react';
import { ErrorMessage } from '../ui/error-message.js';
import { useRenderedMarkdown } from './use-rendered-markdown.js';

/** A Markdown body with a Write tab and a Preview tab showing the server's sanitised rendering. */
export function MarkdownField({
  workspaceId,
  value,
  onChange,
  maxLength,
}: {
  workspaceId: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
}) {
  const id = useId();
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const rendered = useRenderedMarkdown(workspaceId, value, tab === 'preview');
  return (
    <div className="field">
      <span className="field-label" id={`${id}-label`}>
        Body (Markdown)
      </span>
      <Tabs.Root value={tab} onValueChange={(v) => setTab(v as 'write' | 'preview')}>
        <Tabs.List className="tabs-list" aria-labelledby={`${id}-label`}>
          <Tabs.Trigger className="tabs-trigger" value="write">
            Write
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs-trigger" value="preview">
            Preview
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="write">
          <textarea
            id={id}
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-hint`}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            maxLength={maxLength}
            rows={10}
            className="markdown-input"
          />
          <p id={`${id}-hint`} className="field-hint">
            Markdown: **bold**, _italic_, [links](https://example.com), lists, images. Scripts and styles are removed when saved.
          </p>
        </Tabs.Content>
        <Tabs.Content value="preview">
          {rendered.isError ? (
            <ErrorMessage error={rendered.error} />
          ) : rendered.data ? (
            // The server's renderer and sanitiser made this HTML (the same a save stores).
            <div
              className="markdown-preview"
              aria-busy={rendered.isFetching || undefined}
              dangerouslySetInnerHTML={{ __html: rendered.data.html }}
            />
          ) : (
            <p className="muted" role="status">
              Rendering…
            </p>
          )}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
