import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults: port 8080, ./data resolved to an absolute path, SQLite, no public URL', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      masterKey: undefined,
      publicUrl: undefined,
      trustProxy: false,
      logLevel: 'info',
      bodyLimitBytes: 64 * 1024,
      session: { idleSeconds: 12 * 3600, absoluteSeconds: 14 * 86400, reauthSeconds: 300 },
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it('reads settings from the environment and lets overrides win', () => {
    const config = loadConfig(
      { PORT: '9000', LUMIO_DATA_DIR: 'var/lumio', LUMIO_TRUST_PROXY: '10.0.0.0/8, 192.168.0.1', LUMIO_RATE_LOGIN_PER_IP: '5' },
      { port: 9100, session: { idleSeconds: 600 } },
    );
    expect(config.port).toBe(9100);
    expect(config.dataDir).toBe(path.resolve('var/lumio'));
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '192.168.0.1']);
    expect(config.rateLimits.loginPerIpPerMinute).toBe(5);
    expect(config.session).toEqual({ idleSeconds: 600, absoluteSeconds: 14 * 86400, reauthSeconds: 300 });
    // An empty variable counts as unset.
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });

  it('takes LUMIO_TRUST_PROXY as a hop count or a list of addresses/CIDRs, and refuses true naming the setting', () => {
    expect(loadConfig({ LUMIO_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ LUMIO_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ LUMIO_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ LUMIO_TRUST_PROXY: '127.0.0.1,::1, fd00::/8' }).trustProxy).toEqual(['127.0.0.1', '::1', 'fd00::/8']);
    expect(loadConfig({}, { trustProxy: ['10.1.2.3'] }).trustProxy).toEqual(['10.1.2.3']);
    // "Trust everyone" would let any client choose the IP every per-IP limit counts.
    expect(() => loadConfig({ LUMIO_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ LUMIO_TRUST_PROXY: 'true' })).toThrow(/LUMIO_TRUST_PROXY=true .*addresses or CIDRs/);
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/1', 'fd00::/129', 'yes']) {
      expect(() => loadConfig({ LUMIO_TRUST_PROXY: bad }), bad).toThrow(/LUMIO_TRUST_PROXY: .* is not an IP address or CIDR/);
    }
  });

  it('reads the sign-in throttle limits: failures per account per minute and per (account, IP) per 15 minutes', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({ loginPerAccountPerMinute: 10, loginFailuresPerSource: 5 });
    const config = loadConfig({ LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE: '3' }, { rateLimits: { loginPerAccountPerMinute: 4 } });
    expect(config.rateLimits).toMatchObject({ loginPerAccountPerMinute: 4, loginFailuresPerSource: 3 });
    expect(() => loadConfig({ LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE: '0' })).toThrow(
      /LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE must be at least 1/,
    );
  });

  it('sizes the Markdown worker pool: 1 worker, 32 queued, 2 s per document by default; each setting validated', () => {
    expect(loadConfig({}).markdown).toEqual({ workers: 1, queue: 32, budgetMs: 2000 });
    expect(
      loadConfig({ LUMIO_MARKDOWN_WORKERS: '2', LUMIO_MARKDOWN_QUEUE: '0', LUMIO_MARKDOWN_BUDGET_MS: '500' }, { markdown: { workers: 3 } })
        .markdown,
    ).toEqual({ workers: 3, queue: 0, budgetMs: 500 });
    expect(() => loadConfig({ LUMIO_MARKDOWN_WORKERS: '0' })).toThrow(/LUMIO_MARKDOWN_WORKERS must be at least 1/);
    expect(() => loadConfig({ LUMIO_MARKDOWN_BUDGET_MS: '5' })).toThrow(/LUMIO_MARKDOWN_BUDGET_MS must be at least 50/);
  });

  it('reads outgoing email settings: no SMTP by default, an smtp(s) URL and a one-line From, each validated', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: undefined, smtpFrom: 'Lumio <lumio@localhost>' });
    const smtps = { LUMIO_SMTP_URL: 'smtps://u:p@mail.example.com:465', LUMIO_PUBLIC_URL: 'https://lumio.acme.test' };
    expect(loadConfig({ ...smtps, LUMIO_SMTP_FROM: 'Acme <a@acme.test>' })).toMatchObject({
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      smtpFrom: 'Acme <a@acme.test>',
    });
    expect(() => loadConfig({ LUMIO_SMTP_URL: 'smtp://mail.example.com' })).toThrow(/LUMIO_PUBLIC_URL is required with LUMIO_SMTP_URL/);
    expect(() => loadConfig({ LUMIO_SMTP_URL: 'http://mail.example.com' })).toThrow(
      /LUMIO_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ LUMIO_SMTP_FROM: 'a@b.test\r\nBcc: x@evil.test' })).toThrow(/LUMIO_SMTP_FROM must be one line/);
  });

  it('turns demo mode on for the embedded database outside production, and off on request', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/lumio', LUMIO_MASTER_KEY: 'k' }).demo).toBe(false);
    expect(loadConfig({ LUMIO_DEMO: 'false' }).demo).toBe(false);
    expect(loadConfig({}, { demo: false }).demo).toBe(false);
    // Asked for explicitly, it is on even in production (the operator's choice, documented).
    expect(loadConfig({ NODE_ENV: 'production', LUMIO_DEMO: 'true' }).demo).toBe(true);
    expect(() => loadConfig({ LUMIO_DEMO: 'yes please' })).toThrow(/LUMIO_DEMO must be true or false/);
  });

  it('refuses an invalid PORT with a ConfigError naming PORT', () => {
    for (const PORT of ['http', '70000', '-1', '80.5']) {
      expect(() => loadConfig({ PORT }), PORT).toThrow(ConfigError);
      expect(() => loadConfig({ PORT }), PORT).toThrow(/PORT/);
    }
  });

  it('requires LUMIO_MASTER_KEY with DATABASE_URL, naming the setting', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db.example/lumio' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db.example/lumio' })).toThrow(/LUMIO_MASTER_KEY/);
    expect(loadConfig({ DATABASE_URL: 'postgres://db.example/lumio', LUMIO_MASTER_KEY: 'k'.repeat(44) }).databaseUrl).toBe(
      'postgres://db.example/lumio',
    );
  });

  it('names the setting in other start-up errors too', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db.example/lumio', LUMIO_MASTER_KEY: 'x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LUMIO_PUBLIC_URL: 'lumio.example.com' })).toThrow(/LUMIO_PUBLIC_URL/);
    expect(() => loadConfig({ LUMIO_SESSION_IDLE_SECONDS: '7200', LUMIO_SESSION_ABSOLUTE_SECONDS: '3600' })).toThrow(
      /LUMIO_SESSION_ABSOLUTE_SECONDS/,
    );
  });

  it('validates overrides like the environment, so a bad value fails at start-up rather than on the first request', () => {
    expect(() => loadConfig({}, { port: 70_000 })).toThrow(ConfigError);
    // An unparsable public URL would otherwise make every /api/ request fail with a 500.
    expect(() => loadConfig({}, { publicUrl: 'lumio.example.com' })).toThrow(ConfigError);
  });

  it('returns a frozen config and leaves the caller’s env and overrides untouched', () => {
    const env = { PORT: '8081', LUMIO_DATA_DIR: '', LUMIO_LOG_LEVEL: 'warn' };
    const overrides = { session: { idleSeconds: 900 }, rateLimits: { identifyPerIpPerMinute: 7 } };
    const envCopy = structuredClone(env);
    const overridesCopy = structuredClone(overrides);

    const config = loadConfig(env, overrides);

    expect(env).toEqual(envCopy);
    expect(overrides).toEqual(overridesCopy);
    expect(Object.isFrozen(overrides.session)).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.session)).toBe(true);
    expect(Object.isFrozen(config.rateLimits)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.session as { idleSeconds: number }).idleSeconds = 1;
    }).toThrow(TypeError);

    // A second load from the same inputs is independent of the first.
    const again = loadConfig(env, { rateLimits: { identifyPerIpPerMinute: 8 } });
    expect(again.rateLimits.identifyPerIpPerMinute).toBe(8);
    expect(config.rateLimits.identifyPerIpPerMinute).toBe(7);
  });
});
