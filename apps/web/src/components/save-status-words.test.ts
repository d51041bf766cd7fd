import { describe, expect, it } from 'vitest';
import type { ConnectionSnapshot, SaveStatus } from '@weft/client';
import { describeStatus } from './SaveStatusBadge';

const offline: SaveStatus = { state: 'offline', unsaved: 2, local: 'stored', retryAt: null };
const stopped: ConnectionSnapshot = { phase: 'offline', failures: 0, retryAt: null };
const unreachable: ConnectionSnapshot = { phase: 'unreachable', failures: 1, retryAt: 1 };

describe('describeStatus', () => {
  it('says why the relay is not asked when access is the problem', () => {
    expect(describeStatus(offline, stopped, 'expired')).toBe(
      'Link expired — edits kept on this device',
    );
    expect(describeStatus(offline, stopped, 'missing')).toBe(
      'Needs an access link — edits kept on this device',
    );
    expect(describeStatus({ ...offline, local: 'unavailable' }, stopped, 'refused')).toBe(
      'Access refused — edits are only in this tab',
    );
  });

  it('is unchanged without an access problem', () => {
    expect(describeStatus(offline, stopped)).toBe('Offline — edits kept on this device');
    expect(describeStatus(offline, unreachable, null)).toBe(
      'Can’t reach the server — edits kept on this device',
    );
    expect(describeStatus({ ...offline, state: 'saved' }, stopped, 'expired')).toBe('Saved');
  });

  it('says the relay refuses, never "Offline" or "Can’t reach", when it answers no', () => {
    const refusal = { kind: 'origin', origin: 'https://a.test', publicOrigin: null } as const;
    expect(describeStatus(offline, unreachable, null, refusal)).toBe(
      'Refused by the relay — edits kept on this device',
    );
    // An access link problem is the one the user can fix, so it is named first.
    expect(describeStatus(offline, stopped, 'expired', refusal)).toBe(
      'Link expired — edits kept on this device',
    );
  });

  it('says the document is in the trash, or deleted for good, rather than "Offline"', () => {
    expect(describeStatus(offline, stopped, null, null, 'trashed')).toBe(
      'Moved to the trash — edits kept on this device',
    );
    expect(describeStatus(offline, stopped, null, null, 'deleted')).toBe(
      'Deleted for good — edits kept on this device',
    );
  });
});
