// Entry of widget.js, the script-tag build: installs the real LumioWidget
// over the snippet's queue stub, replays what the page queued before it
// loaded, and exposes the object client as window.Lumio.createLumio.
import { createCommandQueue, replayQueued, type CommandFunction } from '../client/command-queue.js';
import { createLumio } from '../client/create-lumio.js';
import type { LumioOptions } from '../engine/lumio-engine.js';

type LumioWindow = Window & {
  LumioWidget?: CommandFunction & { lumio?: true };
  Lumio?: { createLumio: (options: LumioOptions) => ReturnType<typeof createLumio> };
};

const page = window as LumioWindow;
// Read while this script runs: document.currentScript is null afterwards.
const script = document.currentScript as HTMLScriptElement | null;
const apiBase = script?.src ? new URL(script.src).origin : location.origin;

if (!page.LumioWidget?.lumio) {
  const stub = page.LumioWidget;
  const queue = createCommandQueue({ apiBase });
  const dispatch = Object.assign(queue.dispatch, { lumio: true as const });
  page.LumioWidget = dispatch;
  page.Lumio = { createLumio: (options) => createLumio({ apiBase, ...options }) };
  replayQueued(stub?.q, dispatch);
}
