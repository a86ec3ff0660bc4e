import { ConditionError, type Condition } from './condition.js';
import { checkedCondition } from './validate-condition.js';

/**
 * The validated condition a `{ $segment: id }` stands for, reached through
 * the segments in `stack` (outermost first). A segment that names itself,
 * directly or not, and an id the resolver does not know are refused with a
 * {@link ConditionError}. Shared by every compiler of conditions (the JS
 * predicate here, SQL in the server), so they refuse the same things alike.
 */
export function resolveSegment(
  id: string,
  stack: readonly string[],
  segment: ((id: string) => Condition | undefined) | undefined,
): Condition {
  if (stack.includes(id))
    throw new ConditionError([
      { path: '$segment', code: 'segment_cycle', message: `segment ${id} refers to itself (${[...stack, id].join(' → ')}).` },
    ]);
  const found = segment?.(id);
  if (found === undefined)
    throw new ConditionError([
      {
        path: '$segment',
        code: 'unknown_segment',
        message: `there is no saved segment ${id} in this workspace; pick one from the Segments page.`,
      },
    ]);
  return checkedCondition(found);
}
