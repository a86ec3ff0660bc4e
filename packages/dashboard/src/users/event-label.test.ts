import { describe, expect, it } from 'vitest';
import { eventLabel } from './event-label.js';

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
