import { afterEach, describe, expect, it } from 'vitest';
import { createCommandQueue } from '../client/command-queue.js';
import { createLumio } from '../client/create-lumio.js';
import { CookieJar, MemoryStorage, fakeWidgetApi, forgetPageEngines, recordingConsole } from '../test-support/fake-widget-api.js';

const env = (api: ReturnType<typeof fakeWidgetApi>, out = recordingConsole()) => ({
  fetch: api.fetch,
  console: out.console,
  storage: { localStorage: () => new MemoryStorage(), document: new CookieJar() },
});
const widget = { widgetId: 'wgt_1', apiBase: 'https://lumio.test' };

// Each test is a page of its own.
afterEach(forgetPageEngines);

describe('one engine per page', () => {
  it('createLumio on a page where the snippet runs the same widget returns a client over that engine', async () => {
    const api = fakeWidgetApi();
    const queue = createCommandQueue({}, env(api));
    queue.dispatch('init', widget);
    const unused = fakeWidgetApi();
    const lumio = createLumio({ ...widget, apiBase: 'https://lumio.test/' }, env(unused));
    const states: string[] = [];
    lumio.on('stateChange', (e) => states.push(`${e.state} ${e.userId}`));

    await queue.dispatch('identify', { userId: 'u1', signature: 'ok' });
    expect([lumio.user.state, lumio.user.userId]).toEqual(['verified', 'u1']);
    expect(states).toEqual(['verified u1']);
    await lumio.user.resetSession();
    expect([queue.engine!.state, queue.engine!.userId]).toEqual(['anonymous', null]);
    await lumio.user.identify('u2', { hmac: 'ok' });
    expect([queue.engine!.state, queue.engine!.userId]).toEqual(['verified', 'u2']);
    // Every call went through the snippet's engine: the object client's own environment was never used.
    expect(api.calls.filter((c) => c.path === 'identify').map((c) => c.body!.userId)).toEqual(['u1', 'u2']);
    expect(unused.calls).toEqual([]);
  });

  it('refuses createLumio for another widget (or another server) with an error naming both, starting nothing', () => {
    const queue = createCommandQueue({}, env(fakeWidgetApi()));
    queue.dispatch('init', widget);
    const other = fakeWidgetApi();
    expect(() => createLumio({ widgetId: 'wgt_2', apiBase: 'https://lumio.test' }, env(other))).toThrow(
      /already runs the engine of widget wgt_1 at https:\/\/lumio\.test; one engine per page, so wgt_2/,
    );
    expect(() => createLumio({ widgetId: 'wgt_1', apiBase: 'https://eu.lumio.test' }, env(other))).toThrow(/one engine per page/);
    expect(other.calls).toEqual([]);
  });

  it('the snippet loading after createLumio adopts its engine, identified state included', async () => {
    const api = fakeWidgetApi();
    const lumio = createLumio(widget, env(api));
    await lumio.user.identify('u1', { hmac: 'ok' });
    const adopted: unknown[] = [];
    const unused = fakeWidgetApi();
    const queue = createCommandQueue({}, env(unused), { onInit: (engine) => adopted.push(engine.state) });
    queue.dispatch('init', widget);
    expect(adopted).toEqual(['verified']);
    expect([queue.engine!.state, queue.engine!.userId]).toEqual(['verified', 'u1']);
    await queue.dispatch('identify', { userId: 'u3', signature: 'ok' });
    expect([lumio.user.state, lumio.user.userId]).toEqual(['verified', 'u3']);
    expect(api.calls.filter((c) => c.path === 'identify').map((c) => c.body!.userId)).toEqual(['u1', 'u3']);
    expect(unused.calls).toEqual([]);
  });

  it("the snippet's init for another widget is refused on the console, never thrown, and its commands stay queued", async () => {
    createLumio(widget, env(fakeWidgetApi()));
    const out = recordingConsole();
    const queue = createCommandQueue({}, env(fakeWidgetApi(), out));
    expect(queue.dispatch('init', { widgetId: 'wgt_2', apiBase: 'https://lumio.test' })).toBeUndefined();
    expect(queue.engine).toBeNull();
    expect(out.lines).toEqual([expect.stringMatching(/^Lumio: this page already runs the engine of widget wgt_1 .* wgt_2 /)]);
    queue.dispatch('identify', { userId: 'u1', signature: 'ok' });
    expect(queue.engine).toBeNull();
    // A later init for the page's widget adopts its engine and replays what waited.
    queue.dispatch('init', widget);
    await queue.engine!.settled();
    expect([queue.engine!.state, queue.engine!.userId]).toEqual(['verified', 'u1']);
  });

  it('after shutdown the page may start an engine again, for any widget', () => {
    const first = createLumio(widget, env(fakeWidgetApi()));
    first.shutdown();
    const api = fakeWidgetApi();
    const second = createLumio({ widgetId: 'wgt_2', apiBase: 'https://lumio.test' }, env(api));
    expect(second.user.state).toBe('anonymous');
    expect(() => createLumio(widget)).toThrow(/wgt_2/);
  });
});
