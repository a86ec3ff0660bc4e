import { describe, expect, it } from 'vitest';
import { linkedArticle } from './article-topics.js';
import { INTEREST_WEIGHTS as W } from './interest-math.js';
import { activityOf, topicDeltas } from './interest-writer.js';

describe('interest writer (pure parts)', () => {
  it('reads which activity an event is, and ignores what does not show interest', () => {
    expect(activityOf({ name: '$article_viewed', props: { articleId: 'a' } })).toEqual({ activity: 'view', articleId: 'a' });
    expect(activityOf({ name: '$article_viewed', props: { articleId: 'a', search: true } })).toEqual({
      activity: 'searchClick',
      articleId: 'a',
    });
    expect(activityOf({ name: '$article_saved', props: { articleId: 'a', saved: true } })).toEqual({ activity: 'save', articleId: 'a' });
    expect(activityOf({ name: '$article_saved', props: { articleId: 'a', saved: false } })).toBeNull();
    expect(activityOf({ name: '$article_rated', props: { articleId: 'a', helpful: true } })).toEqual({
      activity: 'helpfulVote',
      articleId: 'a',
    });
    expect(activityOf({ name: '$article_rated', props: { articleId: 'a', helpful: false } })).toBeNull();
    expect(activityOf({ name: '$announcement_clicked', props: { announcementId: 'n' } })).toEqual({
      activity: 'announcementClick',
      announcementId: 'n',
    });
    expect(activityOf({ name: '$announcement_shown', props: { announcementId: 'n' } })).toBeNull();
    // A host's own event that borrows the prop names is not Lumio's.
    expect(activityOf({ name: 'article_viewed', props: { articleId: 'a' } })).toBeNull();
  });

  it('sums the weights per topic, topics in a stable order', () => {
    const topics = {
      articles: new Map([
        ['a', ['billing', 'invoices']],
        ['b', ['billing']],
      ]),
      announcements: new Map([['n', ['invoices']]]),
    };
    const deltas = topicDeltas(
      [
        { name: '$article_viewed', props: { articleId: 'b' } },
        { name: '$article_saved', props: { articleId: 'a', saved: true } },
        { name: '$announcement_clicked', props: { announcementId: 'n' } },
        { name: '$announcement_clicked', props: { announcementId: 'other' } },
      ],
      topics,
    );
    expect(deltas).toEqual([
      { topic: 'billing', score: W.view + W.save, views: 1, saves: 1, helpfulVotes: 0, searchClicks: 0, announcementClicks: 0 },
      {
        topic: 'invoices',
        score: W.save + W.announcementClick,
        views: 0,
        saves: 1,
        helpfulVotes: 0,
        searchClicks: 0,
        announcementClicks: 1,
      },
    ]);
  });

  it('finds the article a CTA links to only in the #article/<slug> form', () => {
    expect(linkedArticle({ label: 'x', url: 'https://app.example.com/help#article/reset-password' })).toBe('reset-password');
    expect(linkedArticle(JSON.stringify({ label: 'x', url: 'https://a.example/#article/caf%C3%A9' }))).toBe('café');
    expect(linkedArticle({ label: 'x', url: 'https://a.example/articles/reset-password' })).toBeNull();
    expect(linkedArticle({ label: 'x', url: 'https://a.example/#article/' })).toBeNull();
    expect(linkedArticle({ label: 'x', url: 'https://a.example/#article/%E0%A4%A' })).toBeNull();
    expect(linkedArticle(null)).toBeNull();
    expect(linkedArticle('not json')).toBeNull();
  });
});
