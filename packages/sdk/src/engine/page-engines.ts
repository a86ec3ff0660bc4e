import { defaultApiBase, LumioEngine, type EngineEnvironment, type LumioOptions } from './lumio-engine.js';

// Symbol.for, not a module-level Map: the npm SDK and widget.js are two bundles
// with two copies of this module, and they must still find each other's engine.
const PAGE_ENGINES = Symbol.for('lumio.engines');

type PageEngines = Map<string, LumioEngine>;

function pageEngines(): PageEngines {
  const page = globalThis as { [PAGE_ENGINES]?: PageEngines };
  return (page[PAGE_ENGINES] ??= new Map());
}

/**
 * The page's one engine for these options: the running engine of the same
 * widget and server when there is one (so the snippet and the object client
 * never disagree about who is signed in), otherwise a new engine, registered
 * for whichever API comes next. Throws when another widget's engine runs on
 * the page: two engines would hold two sessions.
 */
export function pageEngine(options: LumioOptions, env?: EngineEnvironment): LumioEngine {
  const apiBase = (options.apiBase ?? defaultApiBase()).replace(/\/+$/, '');
  const key = `${options.widgetId} ${apiBase}`;
  const engines = pageEngines();
  for (const [other, engine] of engines) {
    if (!engine.running) engines.delete(other);
    else if (other === key) return engine;
    else
      throw new Error(
        `Lumio: this page already runs the engine of widget ${other.replace(' ', ' at ') || '?'}; ` +
          `one engine per page, so ${options.widgetId} at ${apiBase || 'this origin'} is refused. ` +
          'Use the same widgetId (and apiBase) as the snippet, or call shutdown() on the other client first.',
      );
  }
  const engine = new LumioEngine({ ...options, apiBase }, env);
  engines.set(key, engine);
  return engine;
}
