import { describe, expect, it } from 'vitest';
import { eventLabel, eventSubjectLabel } from './event-label.js';

describe('eventLabel', () => {
  it('names a failed identify as the attempt it was, with the userId it tried', () => {
    expect(eventLabel({ name: '$identify', props: { outcome: 'failed', reason: 'invalid_signature', attemptedUserId: 'bob' } })).toBe(
      'identify as bob failed (invalid_signature)',
    );
    expect(eventLabel({ name: '$identify', props: { outcome: 'failed', reason: 'invalid_identity_token' } })).toBe(
      'identify failed (invalid_identity_token)',
    );
  });

  it('names a successful identify by its outcome, and leaves other events to their name', () => {
    expect(eventLabel({ name: '$identify', props: { outcome: 'verified' } })).toBe('identify (verified)');
    expect(eventLabel({ name: '$widget_opened', props: {} })).toBeNull();
    expect(eventLabel({ name: 'Report exported', props: { attemptedUserId: 'bob' } })).toBeNull();
  });
});

describe('eventSubjectLabel', () => {
  it('names an announcement or article by its title, and a deleted one as deleted', () => {
    expect(eventSubjectLabel({ kind: 'announcement', id: 'ann_1', title: 'Dark mode' })).toEqual({
      text: 'Dark mode',
      kind: 'announcement',
      id: 'ann_1',
      deleted: false,
    });
    expect(eventSubjectLabel({ kind: 'article', id: 'art_9', title: null })).toEqual({
      text: 'deleted help article',
      kind: 'help article',
      id: 'art_9',
      deleted: true,
    });
    expect(eventSubjectLabel(null)).toBeNull();
  });
});
