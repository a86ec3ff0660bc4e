import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandQueue } from '../client/command-queue.js';
import { createLumio } from '../client/create-lumio.js';
import type { LumioEvents } from '../engine/lumio-engine.js';
import { CookieJar, MemoryStorage, fakeWidgetApi, recordingConsole, forgetPageEngines } from '../test-support/fake-widget-api.js';
import { calendarDateOf, wireBirthday } from './birthday.js';

// Each test is a page of its own: no engine carries over from the previous one.
afterEach(forgetPageEngines);

const NOW = new Date('2026-06-01T12:00:00Z');

describe('wireBirthday', () => {
  it('sends a Date as the calendar date meant, a YYYY-MM-DD string as it is, and null as null', () => {
    expect(wireBirthday(new Date('1968-04-03'), NOW)).toEqual({ ok: true, value: '1968-04-03' });
    expect(wireBirthday(new Date(1968, 3, 3), NOW)).toEqual({ ok: true, value: '1968-04-03' });
    // Any time of day other than UTC midnight is a moment on the user's calendar: the local getters.
    expect(wireBirthday(new Date(1968, 3, 3, 23, 59), NOW)).toEqual({ ok: true, value: '1968-04-03' });
    expect(wireBirthday('1968-04-03', NOW)).toEqual({ ok: true, value: '1968-04-03' });
    expect(wireBirthday(null, NOW)).toEqual({ ok: true, value: null });
  });

  it('refuses an invalid Date, a future date, one before 1900, a malformed string and a non-date, naming the field', () => {
    const refused = [
      new Date('not a date'),
      new Date('2026-06-02'),
      '2026-06-02',
      new Date(1899, 11, 31),
      '1968-02-30',
      '3 April 1968',
      -55_296_000_000,
      { year: 1968 },
      ['1968-04-03'],
      true,
    ].map((value) => wireBirthday(value, NOW));
    expect(refused.every((r) => !r.ok)).toBe(true);
    for (const r of refused) expect(r.ok ? '' : r.message).toMatch(/^birthday /);
    expect(refused[0]).toEqual({ ok: false, message: 'birthday is an invalid Date (its time is NaN).' });
    expect(refused[6]).toEqual({ ok: false, message: 'birthday must be a Date or a YYYY-MM-DD string (got a number).' });
  });
});

function setup() {
  const api = fakeWidgetApi();
  const out = recordingConsole();
  const env = { fetch: api.fetch, console: out.console, storage: { localStorage: () => new MemoryStorage(), document: new CookieJar() } };
  return { api, out, env };
}

describe('identify with a Date birthday', () => {
  it('both client APIs send the Date as YYYY-MM-DD (top level and the profile alias)', async () => {
    const { api, env } = setup();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env);
    expect(await lumio.user.identify('u1', { hmac: 'ok', profile: { birthday: new Date('1968-04-03') } })).toMatchObject({ ok: true });
    const queue = createCommandQueue({}, env);
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    await queue.dispatch('identify', { userId: 'u2', signature: 'ok', birthday: new Date(1968, 3, 3) });
    await queue.dispatch('identify', { userId: 'u2', signature: 'ok', profile: { birthday: new Date(1968, 3, 3), name: 'Ada' } });
    const bodies = api.calls.filter((c) => c.path === 'identify').map((c) => c.body);
    expect(bodies[0]).toMatchObject({ userId: 'u1', birthday: '1968-04-03' });
    expect(bodies[1]).toMatchObject({ userId: 'u2', birthday: '1968-04-03' });
    expect(bodies[2]).toMatchObject({ userId: 'u2', birthday: '1968-04-03', profile: { birthday: '1968-04-03', name: 'Ada' } });
    lumio.shutdown();
    queue.engine!.shutdown();
  });

  it('refuses a bad birthday before sending it: the identify goes without the profile, the session stays verified', async () => {
    const { api, out, env } = setup();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env);
    const errors: Array<LumioEvents['error']> = [];
    lumio.on('error', (e) => errors.push(e));
    await lumio.user.identify('u1', 'ok');
    expect(lumio.user.state).toBe('verified');
    const future = new Date(Date.now() + 86_400_000 * 2);
    const bad = [new Date(Number.NaN), future, 19680403] as unknown as Date[];
    for (const birthday of bad) {
      const outcome = await lumio.user.identify('u1', { hmac: 'ok', profile: { birthday, name: 'Ada' } });
      expect(outcome).toMatchObject({ ok: true, state: 'verified', profileErrors: [{ field: 'birthday', code: 'invalid_profile' }] });
    }
    const sent = api.calls.filter((c) => c.path === 'identify').slice(1);
    // Only the identity part went out: none of the refused profile (not even its valid name).
    expect(sent.map((c) => c.body)).toEqual(Array(3).fill({ userId: 'u1', signature: 'ok' }));
    expect(lumio.user.state).toBe('verified');
    expect(errors.map((e) => [e.call, e.code])).toEqual(Array(3).fill(['identify', 'invalid_profile']));
    expect(out.lines).toHaveLength(3);
    for (const line of out.lines) expect(line).toMatch(/^Lumio: invalid_profile: birthday: birthday /);
    lumio.shutdown();
  });
});

// The time-zone check runs the built module (packages/sdk/dist) in Node processes with their own TZ: a Date
// means different instants there, and the day sent must be the same everywhere.
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const SCRIPT = `
const { createLumio, calendarDateOf } = await import(process.argv[1]);
const bodies = [];
const fetch = async (url, init) => {
  const path = String(url).split('/').pop();
  const body = JSON.parse(init.body);
  if (path === 'identify') bodies.push(body);
  const json = { token: 't', state: path === 'identify' ? 'verified' : 'anonymous', userId: body.userId ?? null, expiresAt: Date.now() + 900000 };
  return new Response(JSON.stringify(json), { status: 200, headers: { 'content-type': 'application/json' } });
};
const storage = { localStorage: () => null, document: { cookie: '' } };
const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, { fetch, storage, console: { warn() {}, error() {} } });
await lumio.user.identify('u1', { hmac: 'ok', profile: { birthday: new Date('1968-04-03') } });
await lumio.user.identify('u1', { hmac: 'ok', profile: { birthday: new Date(1968, 3, 3) } });
lumio.shutdown();
console.log(JSON.stringify({
  offsetMinutes: new Date(1968, 3, 3).getTimezoneOffset(),
  direct: [calendarDateOf(new Date('1968-04-03')), calendarDateOf(new Date(1968, 3, 3)), calendarDateOf(new Date(2000, 0, 1, 23, 30))],
  sent: bodies.map((b) => b.birthday),
}));
`;

describe.skipIf(!existsSync(dist))('the built SDK across time zones', () => {
  it.each(['America/Los_Angeles', 'UTC', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Chatham'])('TZ=%s', (tz) => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, dist], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    const result = JSON.parse(output) as { offsetMinutes: number; direct: string[]; sent: string[] };
    expect(result.direct).toEqual(['1968-04-03', '1968-04-03', '2000-01-01']);
    expect(result.sent).toEqual(['1968-04-03', '1968-04-03']);
    // The zone really was in force (UTC alone proves nothing).
    if (tz !== 'UTC') expect(result.offsetMinutes).not.toBe(0);
  });
});
