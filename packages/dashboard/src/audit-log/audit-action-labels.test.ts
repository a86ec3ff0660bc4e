import { AUDIT_ACTIONS } from '@lumio/protocol';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_OPTIONS, auditActionLabel } from './audit-action-labels.js';

describe('auditActionLabel', () => {
  it('gives every action the server records words, not its code', () => {
    for (const action of AUDIT_ACTIONS) {
      const label = auditActionLabel(action);
      expect(label, action).not.toBe(action);
      expect(label, action).not.toMatch(/[._]/);
    }
    expect(AUDIT_ACTION_OPTIONS.map(([action]) => action).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('shows an action it does not know as it is', () => {
    expect(auditActionLabel('widget.teleport')).toBe('widget.teleport');
    expect(auditActionLabel('constructor')).toBe('constructor');
  });
});
