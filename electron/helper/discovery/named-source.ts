/**
 * A clone whose source the user named (a mirror's name or id, or 'primary') needs no ranking: the
 * round trips to every candidate and the throughput measurement transfers would only rank servers
 * the user has already chosen between. Discovery then still asks Bitbucket everything and checks
 * the named mirror's refs against the primary's (a lagging mirror is topped up after the clone),
 * and otherwise takes only what is remembered: a cached round-trip measurement of this network,
 * the throughput earlier transfers delivered here.
 *
 * The sources tried after the named one, should it fail, are ordered by those remembered figures
 * where there are any, else in the order Bitbucket lists its mirrors, with the primary last
 * (transfer/sources.ts). Their refs are not checked beforehand: a clone from any mirror is topped
 * up from the primary anyway.
 */
import type { CandidateMeasurement } from './choose';
import type { FoundCandidate } from './find-candidates';

/** The candidate a name stands for, matched as transfer/sources.ts matches it; undefined when none does. */
export function namedCandidate(candidates: FoundCandidate[], name: string): FoundCandidate | undefined {
  const wanted = name.toLowerCase();
  return candidates.find((candidate) => candidate.id.toLowerCase() === wanted || candidate.name.toLowerCase() === wanted || (wanted === 'primary' && candidate.kind === 'primary'));
}

/**
 * Whether a remembered round-trip outcome still stands for a server whose refs were just listed:
 * one that answered then and answers now does; a remembered failure does not (it answers now).
 */
export function stillStands(measurement: CandidateMeasurement | undefined, refsListedNow: boolean): boolean {
  if (!measurement) return false;
  return !refsListedNow || measurement.outcome === 'measured' || measurement.outcome === 'slower';
}
