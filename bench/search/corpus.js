// Generated help-center articles for bench:search: deterministic (seeded), in
// the vocabulary of a SaaS help center. Each article belongs to one topic; its
// title comes from the topic's titles and its body (200–1,500 words) mixes the
// topic's words with the words every help article uses, so a topic word is
// common in its topic and rare elsewhere, as in a real help center.
import { seededRandom } from '@lumio/targeting/test-support';

const TOPICS = {
  account: {
    titles: [
      'Reset your password',
      'Change your email address',
      'Enable two-factor authentication',
      'Delete your account',
      'Update your profile',
    ],
    words:
      'password reset email address login sign authentication two factor code recovery profile avatar username verify security session device locked forgot phone authenticator'.split(
        ' ',
      ),
  },
  billing: {
    titles: [
      'Download an invoice',
      'Change your billing email',
      'Update your payment method',
      'Cancel your subscription',
      'Understand proration',
    ],
    words:
      'invoice billing payment card subscription plan upgrade downgrade receipt refund tax vat proration trial renewal charge currency annual monthly coupon'.split(
        ' ',
      ),
  },
  team: {
    titles: ['Invite teammates', 'Change a member role', 'Remove a member', 'Transfer ownership', 'Manage seats'],
    words:
      'invite teammates member role admin owner permission seat remove transfer access editor viewer group workspace organization colleague'.split(
        ' ',
      ),
  },
  data: {
    titles: ['Export your data', 'Import contacts from CSV', 'Schedule a backup', 'Restore deleted items', 'Data retention'],
    words:
      'export import csv json backup restore data file download upload archive retention deleted recover spreadsheet columns format'.split(
        ' ',
      ),
  },
  integrations: {
    titles: ['Connect Slack', 'Set up webhooks', 'Use the API', 'Zapier integration', 'Connect your Salesforce workspace'],
    words:
      'integration webhook api token slack zapier salesforce connect endpoint payload event request key oauth callback sync channel'.split(
        ' ',
      ),
  },
  notifications: {
    titles: ['Email notifications', 'Mute a channel', 'Notification schedule', 'Mobile push alerts', 'Digest settings'],
    words: 'notification email alert push mobile digest mute unsubscribe schedule reminder badge sound frequency inbox mention'.split(' '),
  },
  reports: {
    titles: ['Build a report', 'Share a dashboard', 'Filter by date range', 'Export a chart', 'Understand metrics'],
    words: 'report dashboard chart metric filter date range share widget graph trend segment cohort conversion funnel analytics'.split(' '),
  },
  mobile: {
    titles: ['Install the mobile app', 'Offline mode', 'Sync across devices', 'Mobile login problems', 'Tablet layout'],
    words: 'mobile app ios android install offline sync device tablet phone update version store battery storage'.split(' '),
  },
  security: {
    titles: ['Single sign-on', 'Audit log', 'IP allowlist', 'Session timeout', 'Security overview'],
    words: 'security sso saml audit log allowlist encryption compliance session timeout policy certificate domain provisioning scim'.split(
      ' ',
    ),
  },
  getting: {
    titles: ['Getting started', 'Create your first project', 'Keyboard shortcuts', 'Customize your workspace', 'Tour of the editor'],
    words: 'project start create first editor shortcut keyboard template customize theme tour onboarding sidebar menu search'.split(' '),
  },
};

const COMMON =
  'the a to your you and of in is on for it this can with or be from that if are click select open page settings button then when will your an as at by new not use after before each any all more only also how see'.split(
    ' ',
  );
const GENERAL =
  'account workspace team project settings change update add remove manage view help support option menu list field name save cancel confirm message screen link window tab panel section admin user customer product feature access time'.split(
    ' ',
  );
// Words that appear in a handful of articles only: the "rare word" queries.
const RARE = ['okta', 'gdpr', 'hipaa', 'quickbooks', 'xero', 'jira'];

/** The topic (a collection of bench:search's personalised path) of the `i`-th generated article. */
export function topicOf(i) {
  const names = Object.keys(TOPICS);
  return names[i % names.length];
}

/** `count` articles: { title, markdown, html }. */
export function generateArticles(count, seed = 5) {
  // The same seed gives the same articles.
  const next = seededRandom(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const topicNames = Object.keys(TOPICS);
  const articles = [];
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[topicNames[i % topicNames.length]];
    const other = TOPICS[pick(topicNames)];
    const title = `${pick(topic.titles)}${next() < 0.5 ? '' : ` (${pick(GENERAL)} ${i})`}`;
    const words = 200 + Math.floor(next() * 1301);
    const paragraphs = [];
    let sentence = [];
    let paragraph = [];
    for (let w = 0; w < words; w++) {
      const r = next();
      let word = r < 0.45 ? pick(COMMON) : r < 0.65 ? pick(GENERAL) : r < 0.95 ? pick(topic.words) : pick(other.words);
      if (next() < 0.000008) word = pick(RARE);
      sentence.push(word);
      if (sentence.length >= 6 + Math.floor(next() * 12)) {
        paragraph.push(`${sentence[0][0].toUpperCase()}${sentence.join(' ').slice(1)}.`);
        sentence = [];
        if (paragraph.length >= 3 + Math.floor(next() * 4)) {
          paragraphs.push(paragraph.join(' '));
          paragraph = [];
        }
      }
    }
    if (sentence.length > 0) paragraph.push(`${sentence.join(' ')}.`);
    if (paragraph.length > 0) paragraphs.push(paragraph.join(' '));
    articles.push({ title, markdown: paragraphs.join('\n\n'), html: paragraphs.map((p) => `<p>${p}</p>`).join('\n') });
  }
  return articles;
}

/** The typical queries, by kind. */
export const QUERIES = {
  'single word': ['invoice', 'webhook', 'notification'],
  'two words': ['export data', 'invite teammates', 'billing email'],
  'prefix (typing)': ['passw', 'integ', 'subscr'],
  typo: ['pasword', 'invoce', 'integraton'],
  'three words': ['reset your password', 'change billing email', 'connect slack workspace'],
  'rare word': ['okta', 'gdpr', 'quickbooks'],
};
