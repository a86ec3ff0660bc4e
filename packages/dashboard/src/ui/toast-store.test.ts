import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastStore, type ToastTimers } from './toast-store.js';

// The store on vitest's fake clock: time moves only when the test says so.
const fakeTimers: ToastTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
const messages = (store: ToastStore) => store.list().map((t) => t.message);

describe('ToastStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes by itself after its time, and tells its listeners', () => {
    const store = new ToastStore({ duration: 5_000, timers: fakeTimers });
    const listener = vi.fn();
    store.subscribe(listener);
    store.show('Saved as a draft.');
    expect(messages(store)).toEqual(['Saved as a draft.']);
    vi.advanceTimersByTime(4_999);
    expect(messages(store)).toEqual(['Saved as a draft.']);
    vi.advanceTimersByTime(1);
    expect(messages(store)).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('stays while paused (pointer or focus on it) and runs on with the time it had left', () => {
    const store = new ToastStore({ duration: 5_000, timers: fakeTimers });
    store.show('Settings saved.');
    vi.advanceTimersByTime(3_000);
    store.pause();
    vi.advanceTimersByTime(60_000);
    expect(messages(store)).toEqual(['Settings saved.']);
    store.resume();
    vi.advanceTimersByTime(1_999);
    expect(messages(store)).toEqual(['Settings saved.']);
    vi.advanceTimersByTime(1);
    expect(messages(store)).toEqual([]);
  });

  it('does not start the clock of a toast shown while paused until resumed', () => {
    const store = new ToastStore({ duration: 1_000, timers: fakeTimers });
    store.pause();
    store.show('Segment saved.');
    vi.advanceTimersByTime(10_000);
    expect(messages(store)).toEqual(['Segment saved.']);
    store.resume();
    vi.advanceTimersByTime(1_000);
    expect(messages(store)).toEqual([]);
  });

  it('dismisses one at once, leaving the others', () => {
    const store = new ToastStore({ timers: fakeTimers });
    const first = store.show('One.');
    store.show('Two.');
    store.dismiss(first);
    expect(messages(store)).toEqual(['Two.']);
  });

  it('stacks newest last, keeps at most `max`, and restarts a repeated message instead of copying it', () => {
    const store = new ToastStore({ duration: 5_000, max: 3, timers: fakeTimers });
    for (const m of ['A.', 'B.', 'C.', 'D.']) store.show(m);
    expect(messages(store)).toEqual(['B.', 'C.', 'D.']);
    vi.advanceTimersByTime(4_000);
    store.show('B.');
    expect(messages(store)).toEqual(['C.', 'D.', 'B.']);
    vi.advanceTimersByTime(1_000);
    expect(messages(store)).toEqual(['B.']);
    // Saved twice in a row: one toast, not two.
    store.show('C.');
    store.show('B.');
    expect(messages(store)).toEqual(['C.', 'B.']);
  });

  it('answers the same list until something changes (useSyncExternalStore needs it)', () => {
    const store = new ToastStore({ timers: fakeTimers });
    store.show('X.');
    expect(store.list()).toBe(store.list());
  });
});
