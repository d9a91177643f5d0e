/**
 * The order in which a clone tries its sources: the one asked for (or the one discovery chose),
 * then the other usable mirrors, quickest expected (or closest) first, finally the primary. Only candidates
 * with a clone URL for the requested protocol take part.
 */
import { ContractError, type Candidate, type CloneSource, type DiscoveryResult } from '../../../shared/contract';

export interface OrderedSources {
  sources: CloneSource[];
  /** Why the first source is first. */
  reason: string;
}

function sourceOf(candidate: Candidate, protocol: 'http' | 'ssh'): CloneSource | undefined {
  const url = candidate.cloneUrls[protocol];
  return url ? { id: candidate.id, name: candidate.name, kind: candidate.kind, url } : undefined;
}

function matches(candidate: Candidate, choice: string): boolean {
  const wanted = choice.toLowerCase();
  return candidate.id.toLowerCase() === wanted || candidate.name.toLowerCase() === wanted || (wanted === 'primary' && candidate.kind === 'primary');
}

export function orderSources(discovery: DiscoveryResult, options: { protocol: 'http' | 'ssh'; choice: string }): OrderedSources {
  const { candidates } = discovery;
  // A mirror behind the primary still serves (the top-up brings the rest); quickest expected
  // first where both are known, else closest.
  const roundTrip = (candidate: Candidate) => candidate.rttMs ?? candidate.slowerThanMs ?? Infinity;
  const usable = candidates
    .filter((candidate) => (candidate.status === 'healthy' || candidate.status === 'behind') && candidate.kind === 'mirror')
    .sort((a, b) => (a.expectedMs !== null && b.expectedMs !== null ? a.expectedMs - b.expectedMs : roundTrip(a) - roundTrip(b)));
  const primary = candidates.find((candidate) => candidate.kind === 'primary')!;

  let first: Candidate | undefined;
  let reason: string;
  if (options.choice === 'auto') {
    first = candidates.find((candidate) => candidate.chosen);
    reason = discovery.reason;
  } else {
    first = candidates.find((candidate) => matches(candidate, options.choice));
    if (!first) {
      const names = candidates.map((candidate) => candidate.name).join(', ');
      throw new ContractError('NOT_FOUND', `No server called "${options.choice}" holds this repository.`, { hint: `Choose one of: ${names}, or auto.` });
    }
    // A mirror that is behind can still serve: whatever it lacks is fetched from the primary.
    if (first.kind === 'mirror' && first.status !== 'healthy' && first.status !== 'behind') {
      throw new ContractError('CONFLICT', `${first.name} cannot serve this clone now: ${first.reason}`, { hint: 'Choose another mirror, the primary, or auto.' });
    }
    reason = first.status === 'behind' ? `${first.name}: chosen by you (it is behind; the rest comes from the primary)` : `${first.name}: chosen by you`;
  }

  const ordered = [first, ...usable, primary].filter((candidate, index, all): candidate is Candidate => candidate !== undefined && all.indexOf(candidate) === index);
  const sources = ordered.map((candidate) => sourceOf(candidate, options.protocol)).filter((source): source is CloneSource => source !== undefined);
  if (sources.length === 0) {
    throw new ContractError('NOT_FOUND', `No server offers this repository over ${options.protocol === 'ssh' ? 'SSH' : 'HTTP(S)'}.`, {
      hint: options.protocol === 'ssh' ? 'SSH may be turned off on this Bitbucket; clone over HTTPS instead.' : 'Try SSH instead.',
    });
  }
  if (sources[0]!.id !== first?.id) reason = `${sources[0]!.name}: the first server offering ${options.protocol === 'ssh' ? 'SSH' : 'HTTP(S)'}`;
  return { sources, reason };
}
