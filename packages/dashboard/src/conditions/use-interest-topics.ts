import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { helpKey } from '../help-center/help-center-queries.js';

/** How many topics the rule builder suggests (the most used first, as the server orders them). */
const SUGGESTED_TOPICS = 200;

// NOTE: the shape of `HelpTopicsAnswer` (@lumio/protocol) of `GET …/help/topics`, which
// lists the help center's topics (collection slugs and article tags as topic keys); only
// the part used here, so this builds where that endpoint is not there yet.
interface TopicsAnswer {
  topics: Array<{ topic: string }>;
}

/**
 * The `interests.<topic>` paths to suggest in the rule builder: one per topic
 * of the help center, the most used first. A suggestion only: without the
 * list (an error, an older server), any topic can still be typed.
 */
export function useInterestTopics(workspaceId: string): string[] {
  const query = useQuery({
    // Under the help center's key: a collection or tag saved there refreshes the suggestions.
    queryKey: [...helpKey(workspaceId), 'topics'],
    queryFn: async () => (await api<TopicsAnswer>(`/workspaces/${workspaceId}/help/topics`)).topics,
    retry: false,
    staleTime: 5 * 60_000,
  });
  return interestPaths(query.data ?? []);
}

/** The attribute paths of topics: `interests.<topic>`, at most {@link SUGGESTED_TOPICS}. */
export function interestPaths(topics: ReadonlyArray<{ topic: string }>): string[] {
  return topics.slice(0, SUGGESTED_TOPICS).map((t) => `interests.${t.topic}`);
}
