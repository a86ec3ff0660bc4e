import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { WidgetScript } from './widget-script.js';

// The routes read no database: SQLite alone covers them.
describe('widget script', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { publicUrl: 'https://lumio.example.com' } });
  });
  afterAll(async () => t?.close());

  it('serves the loader with this server’s public origin, short-cached and revalidated by ETag', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/sdk/v1/loader.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=300/);
    expect(res.body).toContain('"https://lumio.example.com"');
    expect(res.body).toContain('/sdk/v1/widget.js');
    expect(res.body).not.toContain('__LUMIO_BASE__');
    expect(res.body.length).toBeLessThan(1024);
    const again = await t.app.inject({ method: 'GET', url: '/sdk/v1/loader.js', headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('serves widget.js by name (short cache) and by content hash (immutable); another hash is 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/sdk/v1/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('LumioWidget');
    // widget.js is the bundle with the UI (@lumio/widget), not the SDK core alone.
    expect(res.body).toContain('lumio-widget-root');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const hashed = await t.app.inject({ method: 'GET', url: `/sdk/v1/widget.${etag.slice(1, -1)}.js` });
    expect(hashed.statusCode).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.body).toBe(res.body);
    const stale = await t.app.inject({ method: 'GET', url: '/sdk/v1/widget.0000000000000000.js' });
    expect(stale.statusCode).toBe(404);
  });

  it('has nothing to serve when the bundles are not built (the routes then answer 503 widget_script_unavailable)', async () => {
    const missing = new WidgetScript({ widget: '/nonexistent/widget.js', loader: '/nonexistent/loader.js' });
    expect(missing.widget).toBeNull();
    expect(missing.loader('https://x.example')).toBeNull();
    expect(missing.snippet('https://x.example', 'wgt_1')).toBeNull();
  });

  it('builds the paste-in snippet with the widget id quoted', () => {
    const snippet = new WidgetScript().snippet('https://lumio.example.com', 'wgt_abc')!;
    expect(snippet).toMatch(/^<script>.*LumioWidget\('init', \{ widgetId: "wgt_abc" \}\);<\/script>$/s);
  });
});
