/** The phase of a stepped clone in words, for the one progress bar across its steps. */
import type { ShallowFetchKind } from '../../git/shallow-fetch';

export function describeStep(step: ShallowFetchKind): string {
  switch (step.kind) {
    case 'tip':
      return "The newest commit's files";
    case 'deepen':
      return `History, ${step.commits} more commit${step.commits === 1 ? '' : 's'}`;
    case 'complete':
      return step.unshallow ? 'The rest of the history, every branch and tag' : 'Every branch and tag';
  }
}

/** A cut fetch carried on: only the objects it had not brought yet. */
export const continuedWords = 'The rest of the history, carried on from the break';

/** A cut fetch's partial pack being read for the objects that arrived whole. */
export const keepingWords = 'Keeping what arrived before the break';
