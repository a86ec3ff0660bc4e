import { createCommandQueue, replayQueued, type CommandFunction, type CommandQueueHooks } from '../client/command-queue.js';
import { createLumio } from '../client/create-lumio.js';
import type { LumioOptions } from '../engine/lumio-engine.js';

type LumioWindow = Window & {
  LumioWidget?: CommandFunction & { lumio?: true };
  Lumio?: { createLumio: (options: LumioOptions) => ReturnType<typeof createLumio> };
};

/**
 * What a script-tag build does when it runs: installs the real `LumioWidget`
 * over the snippet's queue stub, replays what the page queued before it
 * loaded, and exposes the object client as `window.Lumio.createLumio`. Calls
 * to the API go to the origin the script came from. A second copy of the
 * script on the page changes nothing. Call it synchronously from the
 * script's top level: `document.currentScript` is only set then.
 */
export function installGlobal(hooks: CommandQueueHooks = {}): void {
  const page = window as LumioWindow;
  const script = document.currentScript as HTMLScriptElement | null;
  const apiBase = script?.src ? new URL(script.src).origin : location.origin;
  if (page.LumioWidget?.lumio) return;
  const stub = page.LumioWidget;
  const queue = createCommandQueue({ apiBase }, undefined, hooks);
  const dispatch = Object.assign(queue.dispatch, { lumio: true as const });
  page.LumioWidget = dispatch;
  page.Lumio = { createLumio: (options) => createLumio({ apiBase, ...options }) };
  replayQueued(stub?.q, dispatch);
}
