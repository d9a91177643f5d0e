/**
 * Whether the Clone button can start a clone, and if not, why, in words: the button is never
 * disabled without this sentence beside it (and as its description). Pure, so each case is tested.
 */
import type { DestinationCheck } from '../../../shared/contract';

export interface CloneReadinessInput {
  /** The repository is known once discovery has answered. */
  hasRepository: boolean;
  measuring: boolean;
  parentDirectory: string;
  /** The verdict for what the fields hold now; undefined while it is being checked. */
  check?: DestinationCheck;
}

export function cloneBlockedReason(input: CloneReadinessInput): string | undefined {
  if (!input.hasRepository) return input.measuring ? 'Clone can start once the servers are measured.' : 'Find a repository first.';
  if (!input.parentDirectory.trim()) return 'Choose the parent folder to clone into.';
  const check = input.check;
  switch (check?.state) {
    case 'exists':
      // A clone ready to work whose history stopped part-way: cloning it again finishes it.
      if (check.sameRepository && check.historyPending) return undefined;
      return check.sameRepository ? `${check.path} is already a clone of this repository.` : `${check.path} already exists and has files in it. Choose another folder name.`;
    case 'not-writable':
      return `${check.message} Choose another folder.`;
    case 'parent-missing':
      return `${check.parent} does not exist yet. Create it, or choose another folder.`;
    case 'invalid':
      return check.message;
    default:
      return undefined;
  }
}
