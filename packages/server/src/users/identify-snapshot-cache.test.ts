import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.js';
import { IdentifySnapshotCache, type IdentifySnapshot } from './identify-snapshot-cache.js';

function snapshot(name: string): IdentifySnapshot {
  const row: Database['users'] = {
    workspace_id: 'ws_1',
    user_id: 'u1',
    name,
    email: null,
    birthday: null,
    gender: null,
    properties: '{}',
    sources: '{}',
    trust: 'verified',
    created_at: 1,
    updated_at: 1,
    last_seen_at: 1,
  };
  return { row, link: { user_id: 'u1', trust: 'verified' } };
}

describe('IdentifySnapshotCache', () => {
  it('answers a held user and link, and nothing when either is missing', () => {
    const cache = new IdentifySnapshotCache();
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('Ada'), cache.ticket());
    expect(cache.get('ws_1', 'u1', 'anon_1')?.row?.name).toBe('Ada');
    expect(cache.get('ws_1', 'u1', 'anon_2')).toBeUndefined();
    expect(cache.get('ws_2', 'u1', 'anon_1')).toBeUndefined();
    // A read that found no user keeps nothing.
    cache.fill('ws_1', 'u2', 'anon_9', { row: undefined, link: undefined }, cache.ticket());
    expect(cache.get('ws_1', 'u2', 'anon_9')).toBeUndefined();
  });

  it('never stores what a read found before a write it raced with', () => {
    const cache = new IdentifySnapshotCache();
    const ticket = cache.ticket(); // the read starts, sees the old row…
    cache.invalidateUser('ws_1', 'u1'); // …a write lands before the read is filled in
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('old'), ticket);
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
    // The same for a link write, and a read that starts after the write fills normally.
    const linkTicket = cache.ticket();
    cache.invalidateLink('ws_1', 'anon_1');
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('old'), linkTicket);
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('new'), cache.ticket());
    expect(cache.get('ws_1', 'u1', 'anon_1')?.row?.name).toBe('new');
  });

  it('drops a copy when its key is written, and everything on invalidateAll', () => {
    const cache = new IdentifySnapshotCache();
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('Ada'), cache.ticket());
    cache.invalidateUser('ws_1', 'u1');
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('Ada'), cache.ticket());
    const ticket = cache.ticket();
    cache.invalidateAll();
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('old'), ticket);
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
  });

  it('stays bounded, and refuses old tickets once it forgot which keys were written', () => {
    const cache = new IdentifySnapshotCache(4);
    for (let i = 0; i < 10; i++) cache.fill('ws_1', `u${i}`, `anon_${i}`, snapshot(`n${i}`), cache.ticket());
    expect(cache.get('ws_1', 'u0', 'anon_0')).toBeUndefined();
    expect(cache.get('ws_1', 'u9', 'anon_9')).toBeDefined();
    const ticket = cache.ticket();
    // More invalidations than it remembers: the history is dropped…
    for (let i = 0; i < 6; i++) cache.invalidateUser('ws_1', `other${i}`);
    // …so a read begun before cannot prove its key was not written, and keeps nothing.
    cache.fill('ws_1', 'u1', 'anon_1', snapshot('n1'), ticket);
    expect(cache.get('ws_1', 'u1', 'anon_1')).toBeUndefined();
  });
});
