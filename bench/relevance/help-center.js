// The synthetic help center of bench:relevance: collections (topics), tags
// (sub-topics), titles and short bodies drawn from shared vocabularies so that
// a short query matches many articles, and audiences written for a plan or a
// role. Deterministic for a seed.

/** Topics (collections), each with its words and four tags, each tag with its own words. */
export const TOPICS = {
  account: [
    'password login email profile security verify',
    {
      sso: 'single sign okta saml',
      twofactor: 'code authenticator phone factor',
      recovery: 'forgot locked recover reset',
      profile: 'avatar name photo display',
    },
  ],
  billing: [
    'invoice payment plan subscription charge receipt',
    {
      invoices: 'invoice pdf download receipt',
      cards: 'card payment method expired',
      plans: 'upgrade downgrade plan seats',
      tax: 'vat tax country address',
    },
  ],
  team: [
    'member invite role permission workspace access',
    {
      invites: 'invite email link pending',
      roles: 'admin editor viewer role',
      seats: 'seat license count remove',
      groups: 'group department share owner',
    },
  ],
  data: [
    'export import data file csv backup',
    {
      export: 'export download csv json',
      import: 'import upload mapping columns',
      backup: 'backup schedule restore snapshot',
      retention: 'retention delete archive policy',
    },
  ],
  integrations: [
    'integration connect api token webhook sync',
    {
      slack: 'slack channel message notify',
      webhooks: 'webhook endpoint payload retry',
      api: 'api key rate limit',
      zapier: 'zapier trigger action zap',
    },
  ],
  reports: [
    'report dashboard chart metric filter share',
    {
      dashboards: 'dashboard widget layout share',
      charts: 'chart graph axis series',
      filters: 'filter date range segment',
      metrics: 'metric conversion funnel cohort',
    },
  ],
  notifications: [
    'notification email alert digest mute schedule',
    {
      digests: 'digest daily weekly summary',
      push: 'push mobile badge sound',
      mentions: 'mention reply thread comment',
      quiet: 'quiet hours mute snooze',
    },
  ],
  mobile: [
    'mobile app device install offline sync',
    {
      ios: 'ios iphone ipad store',
      android: 'android play store tablet',
      offline: 'offline cache storage battery',
      updates: 'update version release crash',
    },
  ],
  projects: [
    'project task board editor template start',
    {
      boards: 'board column card drag',
      templates: 'template library copy starter',
      tasks: 'task assignee due checklist',
      shortcuts: 'keyboard shortcut command palette',
    },
  ],
  security: [
    'security audit compliance encryption policy session',
    {
      audit: 'audit log event export',
      compliance: 'gdpr soc compliance dpa',
      sessions: 'session timeout device logout',
      allowlist: 'allowlist ip network range',
    },
  ],
  automation: [
    'automation rule trigger workflow action condition',
    {
      rules: 'rule condition when then',
      schedules: 'schedule recurring cron time',
      approvals: 'approval request approve reject',
      bots: 'bot assistant reply auto',
    },
  ],
  developer: [
    'developer sdk code library install script',
    {
      sdk: 'sdk javascript npm package',
      cli: 'cli command terminal flag',
      sandbox: 'sandbox test environment staging',
      errors: 'error debug log trace',
    },
  ],
};

const COMMON = 'how to the your a in and settings change set up use find manage open select click page option help guide learn new'.split(
  ' ',
);
const VERBS = ['How to', 'Set up', 'Manage', 'Understand', 'Fix', 'Change', 'Use', 'Configure'];

/** Audiences some articles are written for (condition, and who they suit). */
export const AUDIENCES = [
  { condition: { plan: { $in: ['pro', 'enterprise'] } }, share: 0.1 },
  { condition: { plan: 'enterprise' }, share: 0.06 },
  { condition: { role: 'developer' }, share: 0.06 },
  { condition: { role: 'admin', plan: { $in: ['pro', 'enterprise'] } }, share: 0.04 },
];

const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const words = (s) => s.split(' ');

/**
 * `count` articles spread over the topics; each with its topic as collection,
 * one or two tags (its sub-topic first), a title of its sub-topic's and
 * topic's words, a body of about 60 words, a popularity and maybe an audience.
 */
export function generateHelpCenter(rng, count) {
  const topics = Object.keys(TOPICS);
  const collections = topics.map((slug, position) => ({ slug, name: slug[0].toUpperCase() + slug.slice(1), position }));
  const articles = [];
  for (let i = 0; i < count; i++) {
    const topic = topics[i % topics.length];
    const [topicWords, tagTable] = TOPICS[topic];
    const tags = Object.keys(tagTable);
    const tag = pick(rng, tags);
    const tw = words(topicWords);
    const gw = words(tagTable[tag]);
    const title = `${pick(rng, VERBS)} ${pick(rng, gw)} ${pick(rng, tw)} ${pick(rng, gw)}`;
    const other = TOPICS[pick(rng, topics)][0];
    const body = [];
    for (let w = 0; w < 60; w++) {
      const r = rng();
      body.push(r < 0.25 ? pick(rng, tw) : r < 0.4 ? pick(rng, gw) : r < 0.47 ? pick(rng, words(other)) : pick(rng, COMMON));
    }
    const articleTags = rng() < 0.3 ? [tag, pick(rng, tags)].filter((t, k, all) => all.indexOf(t) === k) : [tag];
    let audience = null;
    let r = rng();
    for (const a of AUDIENCES) {
      if (r < a.share) {
        audience = a.condition;
        break;
      }
      r -= a.share;
    }
    // Log-normal popularity: a few articles are wanted far more than most.
    const popularity = Math.exp(0.9 * gaussian(rng));
    articles.push({
      index: i,
      topic,
      tag,
      tags: articleTags,
      title,
      body: body.join(' '),
      audience,
      popularity,
      position: Math.floor(i / topics.length),
    });
  }
  return { collections, articles };
}

function gaussian(rng) {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
