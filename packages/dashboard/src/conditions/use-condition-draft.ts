import type { Condition } from '@lumio/targeting';
import { useEffect, useRef, useState } from 'react';
import type { ConditionChange } from './rule-builder.js';

/**
 * The rule builder's draft of a filter whose applied condition lives in the
 * address (JSON text, shareable). The builder starts again (a new `builderKey`)
 * when a link or the back button changes the address, not after its own Apply,
 * so the tab and rows a person was editing stay as they were.
 */
export function useConditionDraft(applied: string | null) {
  const [draft, setDraft] = useState<ConditionChange>(() => ({ condition: conditionOf(applied), valid: true }));
  const ownApply = useRef<string | null>(applied);
  const [builderKey, setBuilderKey] = useState(0);
  const restart = (text: string | null) => {
    ownApply.current = text;
    setDraft({ condition: conditionOf(text), valid: true });
    setBuilderKey((k) => k + 1);
  };
  useEffect(() => {
    if (applied !== ownApply.current) restart(applied);
  }, [applied]);
  return {
    draft,
    setDraft,
    builderKey,
    /** The draft as address text (null for everyone), remembered as this builder's own. */
    apply: (): string | null => {
      const text = draft.condition === null ? null : JSON.stringify(draft.condition);
      ownApply.current = text;
      return text;
    },
    /** Empties the builder (Clear filter). */
    clear: () => restart(null),
  };
}

// A hand-edited link may hold anything: the builder starts from an object, or from nothing.
function conditionOf(text: string | null): Condition | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Condition) : null;
  } catch {
    return null;
  }
}
