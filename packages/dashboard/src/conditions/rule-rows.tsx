import type { SegmentView } from '@lumio/protocol';
import { useId, useRef, useState } from 'react';
import { Button } from '../ui/button.js';
import {
  RULE_OPERATORS,
  emptyGroup,
  emptyRule,
  nodeKey,
  type GroupNode,
  type RuleNode,
  type SegmentNode,
  type TreeNode,
} from './condition-tree.js';

/** Groups nest at most this deep in the visual builder (the language allows 12; deeper trees are easier to read as JSON). */
const MAX_GROUP_DEPTH = 3;

// Values a person picks from rather than remembers.
const VALUE_SUGGESTIONS: Record<string, string[]> = {
  gender: ['Male', 'Female', 'Other', 'PreferNotToSay'],
  trust: ['verified', 'identified'],
};

/** What the rows need from the builder around them. */
export interface RowContext {
  attributesListId: string;
  segments: SegmentView[];
  excludeSegmentId?: string | undefined;
  /** Values to suggest per attribute from the property catalogue (see catalogueValueSuggestions). */
  catalogueValues?: Record<string, string[]>;
}

/** A group of rows (all / any) with its add buttons; groups nest. */
export function GroupEditor({
  group,
  onChange,
  onRemove,
  context,
  depth,
  path,
  autoFocus = false,
}: {
  group: GroupNode;
  onChange: (group: GroupNode) => void;
  onRemove?: (() => void) | undefined;
  context: RowContext;
  depth: number;
  path: string;
  autoFocus?: boolean;
}) {
  const matchId = useId();
  const actions = useRef<HTMLDivElement>(null);
  // The row just added takes the focus (its first field); a removed row hands it to "Add rule", not to <body>.
  const [added, setAdded] = useState<string | null>(null);
  const replace = (index: number, node: TreeNode | null) => {
    const children = [...group.children];
    if (node === null) {
      children.splice(index, 1);
      actions.current?.querySelector('button')?.focus();
    } else children[index] = node;
    onChange({ ...group, children });
  };
  const add = (node: TreeNode) => {
    setAdded(node.key);
    onChange({ ...group, children: [...group.children, node] });
  };
  const Wrapper = depth === 0 ? 'div' : 'fieldset';
  return (
    <Wrapper className={depth === 0 ? 'rule-group rule-group-root' : 'rule-group'}>
      {depth > 0 && <legend className="sr-only">Group {path}</legend>}
      <div className="row rule-group-head">
        <label htmlFor={matchId}>{depth === 0 ? 'Users match' : `Group ${path}: match`}</label>
        <select
          id={matchId}
          autoFocus={autoFocus}
          value={group.match}
          onChange={(e) => onChange({ ...group, match: e.target.value as 'all' | 'any' })}
        >
          <option value="all">all of these rules</option>
          <option value="any">any of these rules</option>
        </select>
        {onRemove && (
          <Button variant="ghost" onClick={onRemove} aria-label={`Remove group ${path}`}>
            Remove group
          </Button>
        )}
      </div>
      {group.children.length === 0 && (
        <p className="muted small">{depth === 0 ? 'No rules: everyone matches.' : 'An empty group: it does not narrow anything.'}</p>
      )}
      <ol className="rule-list">
        {group.children.map((child, index) => {
          const childPath = path ? `${path}.${index + 1}` : String(index + 1);
          const row = {
            onChange: (next: TreeNode | null) => replace(index, next),
            context,
            path: childPath,
            autoFocus: child.key === added,
          };
          return (
            <li key={child.key} className="rule-item">
              {index > 0 && (
                <span className="rule-joiner" aria-hidden="true">
                  {group.match === 'all' ? 'and' : 'or'}
                </span>
              )}
              {child.kind === 'group' ? (
                <GroupEditor group={child} {...row} onRemove={() => replace(index, null)} depth={depth + 1} />
              ) : child.kind === 'segment' ? (
                <SegmentRow node={child} {...row} />
              ) : (
                <RuleRow node={child} {...row} />
              )}
            </li>
          );
        })}
      </ol>
      <div className="row" ref={actions}>
        <Button onClick={() => add(emptyRule())}>Add rule</Button>
        <Button
          onClick={() => add({ kind: 'segment', key: nodeKey(), segmentId: '', negate: false })}
          disabled={context.segments.filter((s) => s.id !== context.excludeSegmentId).length === 0}
          title={context.segments.length === 0 ? 'No saved segments yet' : undefined}
        >
          Add segment
        </Button>
        {depth < MAX_GROUP_DEPTH && (
          <Button onClick={() => add({ ...emptyGroup(group.match === 'all' ? 'any' : 'all'), children: [emptyRule()] })}>Add group</Button>
        )}
      </div>
    </Wrapper>
  );
}

function RuleRow({
  node,
  onChange,
  context,
  path,
  autoFocus,
}: {
  node: RuleNode;
  onChange: (node: TreeNode | null) => void;
  context: RowContext;
  path: string;
  autoFocus: boolean;
}) {
  const operator = RULE_OPERATORS.find((o) => o.id === node.operator) ?? RULE_OPERATORS[0]!;
  const valuesListId = `values-${node.key}`;
  const topic = interestTopicOf(node.attribute);
  const attribute = node.attribute.trim();
  const suggestions =
    topic !== null ? INTEREST_LEVEL_SUGGESTIONS : (own(VALUE_SUGGESTIONS, attribute) ?? own(context.catalogueValues, attribute));
  return (
    <div className="rule-row">
      <input
        aria-label={`Attribute of rule ${path}`}
        autoFocus={autoFocus}
        placeholder="attribute, e.g. plan"
        list={context.attributesListId}
        value={node.attribute}
        onChange={(e) => onChange({ ...node, attribute: e.target.value })}
        spellCheck={false}
        autoComplete="off"
      />
      <select aria-label={`Operator of rule ${path}`} value={operator.id} onChange={(e) => onChange({ ...node, operator: e.target.value })}>
        {RULE_OPERATORS.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      {operator.input === 'none' ? (
        <span className="rule-value-none" />
      ) : (
        <>
          <input
            aria-label={`Value of rule ${path}`}
            placeholder={topic !== null ? 'a level from 0 to 1, e.g. 0.5' : PLACEHOLDERS[operator.input]}
            value={node.value}
            list={suggestions && operator.input !== 'list' ? valuesListId : undefined}
            inputMode={operator.input === 'number' ? 'decimal' : undefined}
            onChange={(e) => onChange({ ...node, value: e.target.value })}
            spellCheck={false}
            autoComplete="off"
          />
          {suggestions && (
            <datalist id={valuesListId}>
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </>
      )}
      <Button variant="ghost" onClick={() => onChange(null)} aria-label={`Remove rule ${path}`}>
        Remove
      </Button>
      {topic !== null && (
        <p className="muted small rule-hint">
          {topic
            ? `Interest in ${topic}: a level from 0 (no activity) to 1, from the person's views, saves, votes and clicks on ${topic} articles; 0.5 is a clear interest.`
            : 'Name a topic after "interests.": a collection slug or an article tag, such as interests.billing.'}
        </p>
      )}
    </div>
  );
}

// Levels a person picks from: a passing interest, a clear one, a strong one.
const INTEREST_LEVEL_SUGGESTIONS = ['0.25', '0.5', '0.75'];

/** The topic of an `interests.<topic>` attribute as typed ('' while only the prefix is there), null for any other attribute. */
function interestTopicOf(attribute: string): string | null {
  const trimmed = attribute.trim();
  return trimmed.startsWith('interests.') ? trimmed.slice('interests.'.length) : null;
}

const PLACEHOLDERS: Record<string, string> = {
  text: 'value',
  list: 'values, separated by commas',
  number: 'a number',
  date: '2026-01-31 or -30d',
  version: '2.1.0',
  pattern: 'e.g. @acme\\.com$',
};

function SegmentRow({
  node,
  onChange,
  context,
  path,
  autoFocus,
}: {
  node: SegmentNode;
  onChange: (node: TreeNode | null) => void;
  context: RowContext;
  path: string;
  autoFocus: boolean;
}) {
  const choices = context.segments.filter((s) => s.id !== context.excludeSegmentId);
  const known = choices.some((s) => s.id === node.segmentId);
  return (
    <div className="rule-row">
      <span className="rule-segment-label">Segment</span>
      <select
        aria-label={`In or not in, rule ${path}`}
        autoFocus={autoFocus}
        value={node.negate ? 'not' : 'in'}
        onChange={(e) => onChange({ ...node, negate: e.target.value === 'not' })}
      >
        <option value="in">is in segment</option>
        <option value="not">is not in segment</option>
      </select>
      <select
        aria-label={`Segment of rule ${path}`}
        value={node.segmentId}
        onChange={(e) => onChange({ ...node, segmentId: e.target.value })}
      >
        <option value="">Choose a segment…</option>
        {!known && node.segmentId && <option value={node.segmentId}>{node.segmentId} (unknown)</option>}
        {choices.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <Button variant="ghost" onClick={() => onChange(null)} aria-label={`Remove rule ${path}`}>
        Remove
      </Button>
    </div>
  );
}

// An attribute is typed freely: "constructor" must not read Object.prototype's.
function own(values: Record<string, string[]> | undefined, key: string): string[] | undefined {
  return values && Object.hasOwn(values, key) ? values[key] : undefined;
}
