import { Genders, type CompanyRequest, type IdentityState, type PropertiesInput, type StandardTraits } from '@lumio/protocol/browser';
import type { Persistence } from '../storage/anonymous-id-store.js';
import type { BirthdayInput } from '../profile/birthday.js';
import { articlesClient, type LumioArticles } from '../articles/articles-client.js';
import { pageEngine } from '../engine/page-engines.js';
import type { LumioEngine, EngineEnvironment, IdentifyOutcome, LumioEvents, LumioOptions } from '../engine/lumio-engine.js';

/** The profile of the object client's identify: standard traits plus custom `traits`. */
export interface ProfileInput extends Omit<StandardTraits, 'birthday'> {
  /** A `Date` or `YYYY-MM-DD`; a Date is read as the calendar date meant (docs/identify.md) and sent as `YYYY-MM-DD`. */
  birthday?: BirthdayInput;
  traits?: PropertiesInput;
}

/** Options of `lumio.user.identify(userId, options)`. */
export interface UserIdentifyOptions {
  /** Hex HMAC-SHA256 of the userId from the host's server (alias: `signature`). */
  hmac?: string;
  signature?: string;
  /** A signed identity token instead of an HMAC. */
  token?: string;
  profile?: ProfileInput;
  /** The user's company (a claim unless the token carries it; docs/companies.md). */
  company?: CompanyRequest;
  /** Several companies (with `company`, at most 20). */
  companies?: CompanyRequest[];
}

/** The object client (npm style). */
export interface LumioClient {
  user: {
    identify(userId: string | number, options?: string | UserIdentifyOptions): Promise<IdentifyOutcome>;
    resetSession(): Promise<void>;
    /** What this session may read of the user's profile; null when anonymous. */
    profile(): Promise<Record<string, unknown> | null>;
    readonly state: IdentityState;
    readonly userId: string | null;
    readonly anonymousId: string;
    readonly genders: typeof Genders;
  };
  /** The help center's articles; every call waits for identify and never rejects. */
  articles: LumioArticles;
  /**
   * Records an analytics event of the host's own (a name without `$`, flat props); true when queued.
   * Sent in batches after identify, so events before it count for the identified user. Never throws.
   */
  track(name: string, props?: PropertiesInput): boolean;
  on<K extends keyof LumioEvents>(event: K, listener: (payload: LumioEvents[K]) => void): () => void;
  off<K extends keyof LumioEvents>(event: K, listener: (payload: LumioEvents[K]) => void): void;
  setPersistence(mode: Persistence): void;
  /** Resolves once everything called so far has finished. */
  ready(): Promise<void>;
  shutdown(): void;
}

/**
 * Creates the object client over the page's engine for this widget: the one
 * the snippet (or an earlier createLumio) already runs, else a new one that a
 * snippet loading later adopts. Throws when the page already runs another
 * widget's engine (docs/identify.md, one engine per page); `shutdown()` stops
 * the shared engine for every API on the page.
 *
 * @example
 * const lumio = createLumio({ widgetId: 'wgt_…' });
 * await lumio.user.identify('user_123', { hmac, profile: { email, gender: lumio.user.genders.Female, traits: { plan: 'pro' } } });
 * const saved = await lumio.articles.list({ limitToSaved: true });
 * lumio.track('report_exported', { format: 'csv', rows: 120 });
 */
export function createLumio(options: LumioOptions, env?: EngineEnvironment): LumioClient {
  return objectClient(pageEngine(options, env));
}

/** The object client over an existing engine (the command queue shares its engine this way). */
export function objectClient(engine: LumioEngine): LumioClient {
  return {
    user: {
      identify: (userId, options) => engine.identify(toIdentifyInput(userId, options)),
      resetSession: () => engine.resetSession(),
      profile: () => engine.profile(),
      get state() {
        return engine.state;
      },
      get userId() {
        return engine.userId;
      },
      get anonymousId() {
        return engine.anonymousId;
      },
      genders: Genders,
    },
    articles: articlesClient(engine),
    track: (name, props) => engine.track(name, props),
    on: (event, listener) => engine.on(event, listener),
    off: (event, listener) => engine.off(event, listener),
    setPersistence: (mode) => engine.setPersistence(mode),
    ready: () => engine.settled(),
    shutdown: () => engine.shutdown(),
  };
}

function toIdentifyInput(userId: string | number, options: string | UserIdentifyOptions | undefined) {
  if (typeof options === 'string') return { userId, signature: options };
  const { traits, ...standard } = options?.profile ?? {};
  const signature = options?.hmac ?? options?.signature;
  return {
    userId,
    ...standard,
    ...(signature === undefined ? {} : { signature }),
    ...(options?.token === undefined ? {} : { token: options.token }),
    ...(traits === undefined ? {} : { properties: traits }),
    ...(options?.company === undefined ? {} : { company: options.company }),
    ...(options?.companies === undefined ? {} : { companies: options.companies }),
  };
}
