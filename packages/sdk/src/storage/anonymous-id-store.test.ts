import { describe, expect, it } from 'vitest';
import { CookieJar, MemoryStorage } from '../test-support/fake-widget-api.js';
import { AnonymousIdStore, newAnonymousId } from './anonymous-id-store.js';

const blocked = () => {
  throw new DOMException('The operation is insecure.', 'SecurityError');
};

describe('AnonymousIdStore', () => {
  it('keeps the id in localStorage across page loads', () => {
    const storage = new MemoryStorage();
    const first = new AnonymousIdStore('wgt_1', 'local', { localStorage: () => storage, document: new CookieJar() });
    const id = first.load();
    expect(id).toMatch(/^anon_[A-Za-z0-9_-]{22}$/);
    expect(first.storage).toBe('localStorage');
    const reloaded = new AnonymousIdStore('wgt_1', 'local', { localStorage: () => storage, document: new CookieJar() });
    expect(reloaded.load()).toBe(id);
    // Another widget on the same page has its own id.
    expect(new AnonymousIdStore('wgt_2', 'local', { localStorage: () => storage }).load()).not.toBe(id);
  });

  it('falls back to a cookie when storage is blocked, then to memory', () => {
    const jar = new CookieJar();
    const store = new AnonymousIdStore('wgt_1', 'local', { localStorage: blocked, document: jar });
    const id = store.load();
    expect(store.storage).toBe('cookie');
    expect(jar.cookie).toBe(`lumio_anon_wgt_1=${id}`);
    expect(new AnonymousIdStore('wgt_1', 'local', { localStorage: blocked, document: jar }).load()).toBe(id);
    const nowhere = new AnonymousIdStore('wgt_1', 'local', {
      localStorage: blocked,
      document: {
        get cookie(): string {
          throw new Error('cookies blocked');
        },
      },
    });
    expect(nowhere.load()).toMatch(/^anon_/);
    expect(nowhere.storage).toBe('memory');
  });

  it('writes nothing under memory persistence until switched to local', () => {
    const storage = new MemoryStorage();
    const jar = new CookieJar();
    const store = new AnonymousIdStore('wgt_1', 'memory', { localStorage: () => storage, document: jar });
    const id = store.load();
    expect(storage.length).toBe(0);
    expect(jar.cookie).toBe('');
    store.setPersistence('local');
    expect(storage.getItem('lumio_anon_wgt_1')).toBe(id);
    store.setPersistence('memory');
    expect(storage.length).toBe(0);
    expect(store.load()).toBe(id);
  });

  it('reset forgets the id everywhere and starts a new one', () => {
    const storage = new MemoryStorage();
    const store = new AnonymousIdStore('wgt_1', 'local', { localStorage: () => storage, document: new CookieJar() });
    const old = store.load();
    const fresh = store.reset();
    expect(fresh).not.toBe(old);
    expect(storage.getItem('lumio_anon_wgt_1')).toBe(fresh);
  });

  it('ignores a stored value that is not an anonymous id', () => {
    const storage = new MemoryStorage();
    storage.setItem('lumio_anon_wgt_1', '<script>');
    expect(new AnonymousIdStore('wgt_1', 'local', { localStorage: () => storage }).load()).toMatch(/^anon_/);
    expect(newAnonymousId()).not.toBe(newAnonymousId());
  });
});
