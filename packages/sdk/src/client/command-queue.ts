import type { PropertiesInput } from '@lumio/protocol/browser';
import type { EngineEnvironment, IdentifyInput, LumioEngine, LumioOptions } from '../engine/lumio-engine.js';
import { pageEngine } from '../engine/page-engines.js';
import { articlesClient, type ArticlesListOptions, type LumioArticles } from '../articles/articles-client.js';

/** The global `LumioWidget(command, ...args)` function of the snippet. */
export type CommandFunction = ((command: string, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };

/** What a host of the queue (widget.js with its UI) wants to hear about. */
export interface CommandQueueHooks {
  /** Called once, with the engine `init` just created, before the commands queued behind `init` run. */
  onInit?: (engine: LumioEngine) => void;
}

/** A command queue bound to its engine once `init` ran. */
export interface CommandQueue {
  dispatch: CommandFunction;
  readonly engine: LumioEngine | null;
}

/**
 * The snippet-style API: `LumioWidget('init', { widgetId })`,
 * `LumioWidget('identify', { userId, signature, name, email, properties })`,
 * `LumioWidget('resetSession')`, `LumioWidget('on', event, fn)`,
 * `LumioWidget('profile')` (a promise, once the script has loaded),
 * `LumioWidget('off', event, fn)`, `LumioWidget('setPersistence', mode)`,
 * `LumioWidget('shutdown')`, and the articles API as promises (once the
 * script has loaded): `LumioWidget('articles.list', { collection, query, limitToSaved })`,
 * `'articles.get'` (id or slug), `'articles.save'` / `'articles.unsave'` (id)
 * and `'articles.feedback'` (id, helpful), and `LumioWidget('track', name, props)`
 * (an analytics event of the host's own). Commands before `init` wait for it, in order.
 * Unknown commands and bad arguments are reported on the console, never thrown.
 */
export function createCommandQueue(
  defaults: Partial<LumioOptions> = {},
  env?: EngineEnvironment,
  hooks: CommandQueueHooks = {},
): CommandQueue {
  let engine: LumioEngine | null = null;
  let articles: LumioArticles | null = null;
  const waiting: unknown[][] = [];
  const warn = (text: string) => (env?.console ?? console).warn(`Lumio: ${text}`);

  const run = (command: string, args: unknown[]): unknown => {
    if (command === 'init') {
      if (engine) return (warn('init was called twice; the second call is ignored'), undefined);
      const options = args[0] as LumioOptions | undefined;
      if (!options || typeof options.widgetId !== 'string') return (warn("init needs { widgetId: 'wgt_…' }"), undefined);
      // Adopts the engine createLumio already runs for this widget; another widget's is refused.
      try {
        engine = pageEngine({ ...defaults, ...options }, env);
      } catch (error) {
        return (warn((error as Error).message.replace(/^Lumio: /, '')), undefined);
      }
      articles = articlesClient(engine);
      // Before the replay, so the hook's listeners hear the queued identify; a hook
      // that throws must not cost the host its queued commands.
      try {
        hooks.onInit?.(engine);
      } catch (error) {
        (env?.console ?? console).error('Lumio: the init hook failed', error);
      }
      for (const queued of waiting.splice(0)) run(String(queued[0]), queued.slice(1));
      return undefined;
    }
    if (!engine) {
      waiting.push([command, ...args]);
      return undefined;
    }
    switch (command) {
      case 'identify':
        return engine.identify(args[0] as IdentifyInput);
      case 'resetSession':
        return engine.resetSession();
      case 'profile':
        return engine.profile();
      case 'track':
        return engine.track(args[0] as string, args[1] as PropertiesInput | undefined);
      case 'articles.list':
        return articles!.list(args[0] as ArticlesListOptions | undefined);
      case 'articles.get':
        return articles!.get(args[0] as string);
      case 'articles.save':
        return articles!.save(args[0] as string);
      case 'articles.unsave':
        return articles!.unsave(args[0] as string);
      case 'articles.feedback':
        return articles!.feedback(args[0] as string, args[1] as boolean);
      case 'on':
        return typeof args[1] === 'function'
          ? engine.on(args[0] as 'stateChange', args[1] as () => void)
          : warn('on needs an event name and a function');
      case 'off':
        return typeof args[1] === 'function' ? engine.off(args[0] as 'stateChange', args[1] as () => void) : undefined;
      case 'setPersistence':
        return args[0] === 'local' || args[0] === 'memory'
          ? engine.setPersistence(args[0])
          : warn("setPersistence takes 'local' or 'memory'");
      case 'shutdown':
        return engine.shutdown();
      default:
        return warn(`unknown command ${JSON.stringify(command)}`);
    }
  };

  const dispatch: CommandFunction = (command, ...args) => {
    try {
      return run(command, args);
    } catch (error) {
      (env?.console ?? console).error('Lumio: command failed', error);
      return undefined;
    }
  };
  return {
    dispatch,
    get engine() {
      return engine;
    },
  };
}

/** Replays the calls the snippet queued before the SDK loaded, in order. */
export function replayQueued(queued: ArrayLike<ArrayLike<unknown>> | undefined, dispatch: CommandFunction): void {
  for (const call of Array.from(queued ?? [])) {
    const [command, ...args] = Array.from(call);
    dispatch(String(command), ...args);
  }
}
