import type { PropertiesView } from '@lumio/protocol';
import * as Tabs from '@radix-ui/react-tabs';
import { describeCondition, validateCondition, type Condition, type ConditionIssue } from '@lumio/targeting';
import { useId, useMemo, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { SwitchField } from '../ui/switch-field.js';
import { conditionToTree, treeToCondition, type GroupNode } from './condition-tree.js';
import { locatedIssue, parseConditionJson } from './parse-condition-json.js';
import { GroupEditor } from './rule-rows.js';
import { usePropertyKeys } from './use-property-keys.js';
import { useInterestTopics } from './use-interest-topics.js';
import { useSegments } from './use-segments.js';
import './conditions.css';

/** What the builder reports on every edit: the condition (null for everyone) and whether it is valid. */
export interface ConditionChange {
  condition: Condition | null;
  valid: boolean;
}

/**
 * Edits a targeting condition as rows (attribute, operator, value; all/any
 * groups; saved segments) or as JSON, the two kept in step, and says it in
 * words with describeCondition. Uncontrolled after mount: give it a `key` to
 * start again from another condition.
 */
export function RuleBuilder({
  workspaceId,
  initial,
  onChange,
  excludeSegmentId,
  properties,
  onPropertiesChange,
  trustedHint,
  serverError,
}: {
  workspaceId: string;
  initial: Condition | null;
  onChange: (change: ConditionChange) => void;
  /** The segment being edited: it cannot name itself. */
  excludeSegmentId?: string;
  /** With `onPropertiesChange` and `trustedHint`: the "Trusted values only" switch (left out where a report filters events). */
  properties?: PropertiesView;
  onPropertiesChange?: (view: PropertiesView) => void;
  trustedHint?: string;
  /** What the server answered for this condition: its `invalid_condition` issues show with the builder's own (unknown segments, cycles). */
  serverError?: unknown;
}) {
  const attributesListId = useId();
  const jsonId = useId();
  const { keys, values: catalogueValues } = usePropertyKeys(workspaceId);
  const interestPaths = useInterestTopics(workspaceId);
  const segments = useSegments(workspaceId).data ?? [];
  const [tree, setTree] = useState<GroupNode | null>(() => conditionToTree(initial));
  const [condition, setCondition] = useState<Condition | null>(initial);
  const [jsonText, setJsonText] = useState(() => pretty(initial));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [issues, setIssues] = useState<ConditionIssue[]>(() => (initial ? issuesOf(initial) : []));
  const [mode, setMode] = useState<'visual' | 'json'>(() => (tree === null ? 'json' : 'visual'));

  const report = (next: Condition | null, nextIssues: ConditionIssue[]) => {
    setCondition(next);
    setIssues(nextIssues);
    onChange({ condition: next, valid: nextIssues.length === 0 });
  };

  const editTree = (next: GroupNode) => {
    setTree(next);
    const built = treeToCondition(next);
    const value = Object.keys(built).length === 0 ? null : built;
    setJsonText(pretty(value));
    setJsonError(null);
    report(value, value ? issuesOf(value) : []);
  };

  const editJson = (text: string) => {
    setJsonText(text);
    // Empty means everyone, as the hint says; anything else is read with located messages, never the engine's.
    const read = text.trim() === '' ? ({ ok: true, value: {} } as const) : parseConditionJson(text);
    if (!read.ok) {
      setJsonError(read.message);
      onChange({ condition, valid: false });
      return;
    }
    setJsonError(null);
    const result = validateCondition(read.value);
    if (!result.ok) {
      setIssues(result.issues);
      onChange({ condition, valid: false });
      return;
    }
    const value = Object.keys(result.condition).length === 0 ? null : result.condition;
    setTree(conditionToTree(value));
    report(value, []);
  };

  const names = useMemo(() => new Map(segments.map((s) => [s.id, s.name])), [segments]);
  const valid = jsonError === null && issues.length === 0;
  // Issues locate by path; the JSON text (kept in step with the rows) tells on which line that key stands.
  const placeOf = useMemo(() => {
    const read = parseConditionJson(jsonText);
    return read.ok ? read.placeOf : undefined;
  }, [jsonText]);
  const shownIssues = issues.length > 0 ? issues : valid ? serverIssues(serverError) : [];
  const errorId = `${jsonId}-error`;
  const words = valid ? describeCondition(condition ?? {}, { segmentName: (id) => names.get(id) }) : null;

  return (
    <div className="rule-builder stack">
      <datalist id={attributesListId}>
        {keys.map((key) => (
          <option key={key} value={key} />
        ))}
        {/* A Lumio extension: interest levels by topic (docs/targeting.md, "Interests"). */}
        <option value="interests.">{'interest in a topic, 0–1: interests.<topic>'}</option>
        {interestPaths.map((path) => (
          <option key={path} value={path}>{`interest in ${path.slice('interests.'.length)}, 0–1`}</option>
        ))}
      </datalist>
      <Tabs.Root value={mode} onValueChange={(v) => setMode(v as 'visual' | 'json')}>
        <Tabs.List className="tabs-list" aria-label="How to edit the condition">
          <Tabs.Trigger className="tabs-trigger" value="visual">
            Rules
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs-trigger" value="json">
            JSON
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="visual">
          {tree ? (
            <GroupEditor
              group={tree}
              onChange={editTree}
              context={{ attributesListId, segments, excludeSegmentId, catalogueValues }}
              depth={0}
              path=""
            />
          ) : (
            <p className="notice notice-warning">
              This condition uses parts the rule rows cannot show (for example <code>$nor</code>, <code>$elemMatch</code> or text that looks
              like a number). Edit it in the JSON tab; it is kept as written.
            </p>
          )}
        </Tabs.Content>
        <Tabs.Content value="json">
          <div className="field">
            <label htmlFor={jsonId}>Condition as JSON</label>
            <textarea
              id={jsonId}
              className="json-editor"
              value={jsonText}
              onChange={(e) => editJson(e.target.value)}
              spellCheck={false}
              aria-invalid={!valid || shownIssues.length > 0 || undefined}
              aria-describedby={`${jsonId}-hint${jsonError || shownIssues.length > 0 ? ` ${errorId}` : ''}`}
              rows={10}
            />
            <p id={`${jsonId}-hint`} className="field-hint">
              MongoDB-style, e.g. <code>{'{ "plan": "pro", "seats": { "$gte": 5 } }'}</code>. An empty object means everyone.
            </p>
          </div>
        </Tabs.Content>
      </Tabs.Root>
      {jsonError && (
        <p role="alert" id={errorId} className="field-error">
          This is not valid JSON. {jsonError}
        </p>
      )}
      {!jsonError && shownIssues.length > 0 && (
        <div role="alert" id={errorId} className="notice notice-error">
          <p className="condition-issues-title">The condition is invalid:</p>
          <ul>
            {shownIssues.map((issue, i) => (
              <li key={i}>{locatedIssue(issue, placeOf)}</li>
            ))}
          </ul>
        </div>
      )}
      {words !== null && (
        <p className="condition-words">
          <span className="muted">In words: </span>
          <strong>{words}</strong>
        </p>
      )}
      {properties && onPropertiesChange && (
        <SwitchField
          label="Trusted values only"
          hint={trustedHint}
          checked={properties === 'trusted'}
          onCheckedChange={(checked) => onPropertiesChange(checked ? 'trusted' : 'all')}
        />
      )}
    </div>
  );
}

function issuesOf(condition: Condition): ConditionIssue[] {
  const result = validateCondition(condition);
  return result.ok ? [] : result.issues;
}

/** The located issues of a server's `invalid_condition` answer (details.issues), or none. */
function serverIssues(error: unknown): ConditionIssue[] {
  if (!(error instanceof ApiError) || error.code !== 'invalid_condition') return [];
  const issues = error.details?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return [{ path: '', code: 'invalid_shape', message: error.message }];
  return issues.filter(
    (i): i is ConditionIssue => typeof i === 'object' && i !== null && typeof i.path === 'string' && typeof i.message === 'string',
  );
}

function pretty(condition: Condition | null): string {
  return JSON.stringify(condition ?? {}, null, 2);
}
