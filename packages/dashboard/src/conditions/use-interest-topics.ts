import { useQuery } from '@tanstack/react-query';
import { helpQueries } from '../help-center/help-center-queries.js';

/** How many topics the rule builder suggests (the most used first, as the server orders them). */
const SUGGESTED_TOPICS = 200;

/**
 * The `interests.<topic>` paths to suggest in the rule builder: one per topic
 * of the help center, the most used first. A suggestion only: without the
 * list (an error, an older server), any topic can still be typed.
 */
export function useInterestTopics(workspaceId: string): string[] {
  // The help center's own query (same key, same answer): the article editor reads it for its tags, and
  // a second shape under one key broke whichever page read the other's (a save refetched it).
  const query = useQuery({ ...helpQueries.topics(workspaceId), retry: false, staleTime: 5 * 60_000 });
  return interestPaths(query.data?.topics ?? []);
}

/** The attribute paths of topics: `interests.<topic>`, at most {@link SUGGESTED_TOPICS}. */
export function interestPaths(topics: ReadonlyArray<{ topic: string }>): string[] {
  return topics.slice(0, SUGGESTED_TOPICS).map((t) => `interests.${t.topic}`);
}
