// The snippet a host pastes into its page (also served as /sdk/v1/loader.js):
// a LumioWidget stub that queues calls until widget.js has loaded, and the
// asynchronous load of widget.js. Kept tiny on purpose: it runs on every page
// of the host app. The server replaces __LUMIO_BASE__ with its public origin.
((w: Window & { LumioWidget?: { (...args: unknown[]): void; q?: unknown[] } }, d: Document, base: string) => {
  if (w.LumioWidget) return;
  const stub = (...args: unknown[]) => {
    // The arguments object itself, as snippets of other products queue it.
    (stub.q = stub.q || []).push(args);
  };
  stub.q = [] as unknown[];
  w.LumioWidget = stub;
  const s = d.createElement('script');
  s.async = true;
  s.src = `${base}/sdk/v1/widget.js`;
  d.head.appendChild(s);
})(window, document, '__LUMIO_BASE__');
