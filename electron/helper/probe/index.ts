/**
 * Latency probe of Bitbucket instances (primary and mirrors). Start with startProbe; rank its
 * `decided` report with the discovery's chooser.
 */
export { startProbe, probeDefaults } from './start-probe';
export { measureCandidate, statusUrlOf, type CandidateMeasurer, type CandidateListener, type CandidateSettings } from './measure-candidate';
export { candidateReportSchema, probeReportSchema } from './report-schema';
export { readStatusAnswer, type StatusVerdict } from './status-answer';
export { median, interquartileRange, quantileOfSorted, summarizeSamples, roundMs, type SampleSummary } from './statistics';
export type { CandidateErrorKind, CandidateOutcome, CandidateReport, ProbeHandle, ProbeOptions, ProbeReport, ProbeTarget, SampleEvent } from './types';
