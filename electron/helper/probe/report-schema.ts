/**
 * Runtime schemas of probe reports, for reading them back from anywhere we do not control (a
 * cache file on disk). Typed against the interfaces in types.ts so the two cannot drift apart.
 */
import { z } from 'zod';
import type { CandidateErrorKind, CandidateReport, ProbeReport } from './types';

const milliseconds = z.number().finite().nonnegative();

export const candidateReportSchema: z.ZodType<CandidateReport> = z.object({
  id: z.string(),
  baseUrl: z.string(),
  outcome: z.enum(['measured', 'unhealthy', 'unreachable', 'timeout', 'slower', 'cancelled']),
  state: z.string().optional(),
  httpStatus: z.number().int().optional(),
  connectMs: milliseconds.optional(),
  warmupMs: milliseconds.optional(),
  samplesMs: z.array(milliseconds),
  medianMs: milliseconds.optional(),
  spreadMs: milliseconds.optional(),
  minMs: milliseconds.optional(),
  lowerBoundMs: milliseconds.optional(),
  connections: z.number().int().nonnegative(),
  // The kinds are NetworkFailureKind's (plus 'unhealthy'); a newer build may know more of them.
  error: z.object({ kind: z.custom<CandidateErrorKind>((value) => typeof value === 'string'), message: z.string() }).optional(),
});

export const probeReportSchema: z.ZodType<ProbeReport> = z.object({
  candidates: z.array(candidateReportSchema),
  elapsedMs: milliseconds,
  cancelled: z.boolean(),
});
