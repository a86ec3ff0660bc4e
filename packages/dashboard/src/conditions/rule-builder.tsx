import type { PropertiesView } from '@lumio/protocol';
import * as Tabs from '@radix-ui/react-tabs';
import { describeCondition, validateCondition, type Condition, type ConditionIssue } from '@lumio/targeting';
import { useId, useMemo, useState } from 'react';
import { SwitchField } from '../ui/switch-field.js';
import { conditionToTree, treeToCondition, type GroupNode } from './condition-tree.js';
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
}: {
  workspaceId: string;
  initial: Condition | null;
  onChange: (change: ConditionChange) => void;
  /** The segment being edited: it cannot name itself. */
  excludeSegmentId?: string;
  properties: PropertiesView;
  onPropertiesChange: (view: PropertiesView) => void;
  trustedHint: string;
}) {
  const attributesListId = useId();
  const jsonId = useId();
  const { keys } = usePropertyKeys(workspaceId);
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
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      setJsonError(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      onChange({ condition, valid: false });
      return;
    }
    setJsonError(null);
    const result = validateCondition(parsed);
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
            <GroupEditor group={tree} onChange={editTree} context={{ attributesListId, segments, excludeSegmentId }} depth={0} path="" />
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
              aria-invalid={!valid || undefined}
              aria-describedby={`${jsonId}-hint`}
              rows={10}
            />
            <p id={`${jsonId}-hint`} className="field-hint">
              MongoDB-style, e.g. <code>{'{ "plan": "pro", "seats": { "$gte": 5 } }'}</code>. An empty object means everyone.
            </p>
          </div>
        </Tabs.Content>
      </Tabs.Root>
      {jsonError && (
        <p role="alert" className="field-error">
          {jsonError}
        </p>
      )}
      {!jsonError && issues.length > 0 && (
        <div role="alert" className="notice notice-error">
          <p className="condition-issues-title">The condition is invalid:</p>
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>
                <code>{issue.path || '(condition)'}</code>: {issue.message}
              </li>
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
      <SwitchField
        label="Trusted values only"
        hint={trustedHint}
        checked={properties === 'trusted'}
        onCheckedChange={(checked) => onPropertiesChange(checked ? 'trusted' : 'all')}
      />
    </div>
  );
}

function issuesOf(condition: Condition): ConditionIssue[] {
  const result = validateCondition(condition);
  return result.ok ? [] : result.issues;
}

function pretty(condition: Condition | null): string {
  return JSON.stringify(condition ?? {}, null, 2);
}
