import { ARTICLE_TAG_LIMITS, type HelpTopicView } from '@lumio/protocol';
import { useId, useState, type KeyboardEvent } from 'react';
import { FieldFrame } from '../ui/field-frame.js';

/**
 * An article's tags as removable chips, with an input that adds one on Enter
 * or comma and suggests the workspace's topics (collection slugs and tags in
 * use). The server turns each into a topic key ("Invoices & Tax" →
 * `invoices-tax`); the form shows the saved keys after a save.
 */
export function TagsField({
  tags,
  onChange,
  topics,
  error,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
  topics: HelpTopicView[] | undefined;
  error?: string | undefined;
}) {
  const [draft, setDraft] = useState('');
  const listId = useId();
  const full = tags.length >= ARTICLE_TAG_LIMITS.perArticle;
  const add = (raw: string) => {
    const tag = raw.trim();
    setDraft('');
    if (tag && !full && !tags.some((t) => t.toLowerCase() === tag.toLowerCase())) onChange([...tags, tag]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the tag instead of submitting the form; an empty Enter still submits.
    if ((event.key === 'Enter' && draft.trim()) || event.key === ',') {
      event.preventDefault();
      add(draft);
    } else if (event.key === 'Backspace' && draft === '' && tags.length > 0) onChange(tags.slice(0, -1));
  };
  return (
    <FieldFrame
      label="Tags"
      hint={`Topics for interest profiles and search, like billing or sso (at most ${ARTICLE_TAG_LIMITS.perArticle}). Enter or comma adds one; saved as lower-case words.`}
      error={error}
      control={(wiring) => (
        <div className="tags-input">
          {tags.length > 0 && (
            <ul className="plain-list tag-list" aria-label="Tags of this article">
              {tags.map((tag, index) => (
                <li key={`${tag}-${index}`} className="tag">
                  {tag}
                  <button
                    type="button"
                    className="tag-remove"
                    aria-label={`Remove tag ${tag}`}
                    onClick={() => onChange(tags.filter((_, i) => i !== index))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <input
            {...wiring}
            list={listId}
            value={draft}
            disabled={full}
            placeholder={full ? 'No more tags' : 'Add a tag'}
            maxLength={ARTICLE_TAG_LIMITS.inputLength}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            // A tag typed but not yet added is kept when the field is left.
            onBlur={() => draft.trim() && add(draft)}
          />
          <datalist id={listId}>
            {topics
              ?.filter((t) => !tags.includes(t.topic))
              .map((t) => (
                <option key={t.topic} value={t.topic} />
              ))}
          </datalist>
        </div>
      )}
    />
  );
}
