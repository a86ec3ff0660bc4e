import { describe, expect, it } from 'vitest';
import { SessionDismissals } from './session-dismissals.js';
import { TabStorage } from '../test-support/tab-storage.js';

describe('SessionDismissals', () => {
  it('remembers a dismissal across page loads of the same session, for the same identity only', () => {
    const tab = new TabStorage();
    new SessionDismissals('wgt_1', { sessionStorage: () => tab }).add('anon_a', 'ann_1');
    const nextPage = new SessionDismissals('wgt_1', { sessionStorage: () => tab });
    expect(nextPage.has('anon_a', 'ann_1')).toBe(true);
    expect(nextPage.has('anon_a', 'ann_2')).toBe(false);
    // Another widget on the same page keeps its own memory.
    expect(new SessionDismissals('wgt_2', { sessionStorage: () => tab }).has('anon_a', 'ann_1')).toBe(false);
  });

  it('forgets on logout or another user (a new anonymous id) and in a new browser session', () => {
    const tab = new TabStorage();
    const dismissals = new SessionDismissals('wgt_1', { sessionStorage: () => tab });
    dismissals.add('anon_a', 'ann_1');
    expect(dismissals.has('anon_b', 'ann_1')).toBe(false);
    expect(new SessionDismissals('wgt_1', { sessionStorage: () => new TabStorage() }).has('anon_a', 'ann_1')).toBe(false);
  });

  it('keeps the dismissal in memory when storage throws or the host has not consented, writing nothing then', () => {
    const blocked = new SessionDismissals('wgt_1', {
      sessionStorage: () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
    blocked.add('anon_a', 'ann_1');
    expect(blocked.has('anon_a', 'ann_1')).toBe(true);

    const tab = new TabStorage();
    const waiting = new SessionDismissals('wgt_1', { sessionStorage: () => tab, mayStore: () => false });
    waiting.add('anon_a', 'ann_1');
    expect(waiting.has('anon_a', 'ann_1')).toBe(true);
    expect(tab.items.size).toBe(0);
  });

  it('ignores a corrupt stored value and bounds what it keeps', () => {
    const tab = new TabStorage();
    tab.setItem('lumio_dismissed_wgt_1', '{not json');
    const dismissals = new SessionDismissals('wgt_1', { sessionStorage: () => tab });
    expect(dismissals.has('anon_a', 'ann_1')).toBe(false);
    for (let i = 0; i < 150; i++) dismissals.add('anon_a', `ann_${i}`);
    const stored = JSON.parse(tab.getItem('lumio_dismissed_wgt_1')!) as { a: string; ids: string[] };
    expect(stored.a).toBe('anon_a');
    expect(stored.ids).toHaveLength(100);
    expect(dismissals.has('anon_a', 'ann_149')).toBe(true);
    expect(dismissals.has('anon_a', 'ann_0')).toBe(false);
  });
});
