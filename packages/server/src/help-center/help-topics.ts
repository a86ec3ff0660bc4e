import { HELP_TOPICS_LIMIT, type HelpTopicView } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { topicKey } from '../interests/interest-math.js';
import { tagsOfArticle } from './article-tags.js';

/**
 * The workspace's help topics, the vocabulary of interest profiles
 * (`interests.<topic>`): every collection's slug as a topic key, and every
 * article tag (drafts included: a team writes the conditions before it
 * publishes). The most used first (collections and articles together), then
 * by name; at most {@link HELP_TOPICS_LIMIT}.
 */
export async function listHelpTopics(db: Kysely<Database>, workspaceId: string): Promise<HelpTopicView[]> {
  const [collections, articles] = await Promise.all([
    db.selectFrom('collections').select('slug').where('workspace_id', '=', workspaceId).execute(),
    // Only the tags column, and only of tagged articles: a big help center is mostly bodies.
    db.selectFrom('articles').select('tags').where('workspace_id', '=', workspaceId).where('tags', 'is not', null).execute(),
  ]);
  const topics = new Map<string, HelpTopicView>();
  const entry = (topic: string) => {
    let view = topics.get(topic);
    if (!view) {
      view = { topic, collections: 0, articles: 0 };
      topics.set(topic, view);
    }
    return view;
  };
  for (const c of collections) {
    const key = topicKey(c.slug);
    if (key !== null) entry(key).collections++;
  }
  // Stored tags are topic keys already (normalised when saved) and distinct per article.
  for (const a of articles) for (const tag of tagsOfArticle(a)) entry(tag).articles++;
  return [...topics.values()]
    .sort((x, y) => y.collections + y.articles - (x.collections + x.articles) || (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : 0))
    .slice(0, HELP_TOPICS_LIMIT);
}
