import { describe, expect, it } from 'vitest';
import { cloneBlockedReason } from '../../renderer/src/state/clone-readiness';

const ready = { hasRepository: true, measuring: false, parentDirectory: '/home/me/src' };

describe('why Clone cannot start', () => {
  it('says nothing when the destination is free, or still being checked', () => {
    expect(cloneBlockedReason({ ...ready, check: { state: 'ok', path: '/home/me/src/app', emptyFolder: false } })).toBeUndefined();
    expect(cloneBlockedReason(ready)).toBeUndefined();
  });

  it('names what is missing before the destination', () => {
    expect(cloneBlockedReason({ ...ready, hasRepository: false, measuring: true })).toBe('Clone can start once the servers are measured.');
    expect(cloneBlockedReason({ ...ready, hasRepository: false })).toBe('Find a repository first.');
    expect(cloneBlockedReason({ ...ready, parentDirectory: '  ' })).toBe('Choose the parent folder to clone into.');
  });

  it('says what is wrong with the destination and what to do', () => {
    expect(cloneBlockedReason({ ...ready, check: { state: 'exists', path: '/s/app', sameRepository: false } })).toBe('/s/app already exists and has files in it. Choose another folder name.');
    expect(cloneBlockedReason({ ...ready, check: { state: 'exists', path: '/s/app', sameRepository: true } })).toBe('/s/app is already a clone of this repository.');
    // Ready to work with part of its history: cloning it again finishes it, so nothing blocks.
    expect(cloneBlockedReason({ ...ready, check: { state: 'exists', path: '/s/app', sameRepository: true, historyPending: true } })).toBeUndefined();
    // A note left in a folder that is not this repository's clone decides nothing.
    expect(cloneBlockedReason({ ...ready, check: { state: 'exists', path: '/s/app', sameRepository: false, historyPending: true } })).toBe('/s/app already exists and has files in it. Choose another folder name.');
    expect(cloneBlockedReason({ ...ready, check: { state: 'not-writable', path: '/s/app', message: '/s cannot be written to.' } })).toBe('/s cannot be written to. Choose another folder.');
    expect(cloneBlockedReason({ ...ready, check: { state: 'parent-missing', path: '/s/app', parent: '/s' } })).toBe('/s does not exist yet. Create it, or choose another folder.');
    expect(cloneBlockedReason({ ...ready, check: { state: 'invalid', message: '".." cannot be used as a folder name.' } })).toBe('".." cannot be used as a folder name.');
  });
});
