/**
 * Measures one candidate: a warm-up request to `{baseUrl}/status` that opens the connection
 * (its connect time is recorded on its own), then N timed `/status` round trips on that same
 * kept-alive connection. A dedicated agent with a single socket makes sure the samples time
 * the network, not connection set-up, and the agent is destroyed at the end whatever happens.
 *
 * Nothing that could authenticate is ever sent: Bitbucket 8.9.22+/9.3.2+ answers a token on a
 * non-/rest path with a redirect or 401, and repeated attempts can lock the account. So no
 * headers are taken from callers, and user info in the base URL is dropped.
 */
import http from 'node:http';
import https from 'node:https';
import { httpRequest, type HttpResponse } from '../net/http-request';
import { NetworkError } from '../net/network-error';
import { readStatusAnswer } from './status-answer';
import { roundMs, summarizeSamples } from './statistics';
import type { CandidateReport, ProbeTarget, SampleEvent } from './types';

export interface CandidateSettings {
  samples: number;
  /** For the whole candidate: warm-up and every sample. */
  timeoutMs: number;
  /** Aborting it means the probe was cancelled. */
  signal: AbortSignal;
  ca?: string | Buffer | (string | Buffer)[];
  now: () => number;
}

/** What the probe learns while a candidate is being measured. */
export interface CandidateListener {
  /** A request went out at `at` (settings.now time); the first one also opens the connection. */
  requestStarted(at: number): void;
  sample(event: Omit<SampleEvent, 'id'>): void;
}

/** The shape of measureCandidate, so the probe can be tested with a scripted stand-in. */
export type CandidateMeasurer = (target: ProbeTarget, settings: CandidateSettings, listener: CandidateListener) => Promise<CandidateReport>;

// A status page is a few bytes; an HTML page in its place may be larger but is not worth more.
const maxStatusBodyBytes = 256 * 1024;

/** `{baseUrl}/status`, keeping a context path, without query, fragment or user info. */
export function statusUrlOf(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/status`;
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  return url;
}

export async function measureCandidate(target: ProbeTarget, settings: CandidateSettings, listener: CandidateListener): Promise<CandidateReport> {
  const report: CandidateReport = { id: target.id, baseUrl: target.baseUrl, outcome: 'measured', samplesMs: [], connections: 0 };
  let url: URL;
  try {
    url = statusUrlOf(target.baseUrl);
  } catch {
    return { ...report, outcome: 'unreachable', error: { kind: 'bad-url', message: `${target.baseUrl} is not a valid address.` } };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ...report, outcome: 'unreachable', error: { kind: 'bad-url', message: `Only http and https addresses can be measured, not ${url.protocol}` } };
  }

  const agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), settings.timeoutMs);
  const signal = AbortSignal.any([settings.signal, deadline.signal]);

  const timedStatusRequest = async (): Promise<{ response: HttpResponse; elapsedMs: number }> => {
    const started = settings.now();
    listener.requestStarted(started);
    // Our own deadline decides; httpRequest's timeout is only a backstop.
    const response = await httpRequest({ url, agent, signal, ca: settings.ca, maxBodyBytes: maxStatusBodyBytes, timeoutMs: settings.timeoutMs + 1_000 });
    const elapsedMs = settings.now() - started;
    if (response.connectMs !== undefined) report.connections += 1;
    report.httpStatus = response.status;
    return { response, elapsedMs };
  };

  /** Undefined when healthy; else the report to return. */
  const unhealthy = (response: HttpResponse): CandidateReport | undefined => {
    const contentType = response.headers['content-type'];
    const verdict = readStatusAnswer(response.status, contentType, response.text());
    report.state = verdict.state;
    if (verdict.healthy) return undefined;
    return { ...report, outcome: 'unhealthy', error: { kind: 'unhealthy', message: verdict.reason ?? 'The server is not healthy.' } };
  };

  try {
    const warmup = await timedStatusRequest();
    if (warmup.response.connectMs !== undefined) {
      report.connectMs = roundMs(warmup.response.connectMs);
      listener.sample({ kind: 'connect', ms: report.connectMs, index: 0 });
    }
    report.warmupMs = roundMs(warmup.elapsedMs);
    listener.sample({ kind: 'warmup', ms: report.warmupMs, index: 0 });
    const warmupProblem = unhealthy(warmup.response);
    if (warmupProblem) return warmupProblem;

    for (let index = 0; index < settings.samples; index += 1) {
      const { response, elapsedMs } = await timedStatusRequest();
      const problem = unhealthy(response);
      if (problem) return problem;
      // If the server closed the kept-alive connection, this request opened a new one: count
      // only the round trip, so one reconnect does not look like a slow link.
      const ms = roundMs(elapsedMs - (response.connectMs ?? 0));
      report.samplesMs.push(ms);
      listener.sample({ kind: 'sample', ms, index });
    }
    return { ...report, ...summarizeSamples(report.samplesMs) };
  } catch (error) {
    // No median here: only a complete measurement may be ranked; the samples so far stay visible.
    return { ...report, ...failureOutcome(error, settings, deadline.signal) };
  } finally {
    clearTimeout(deadlineTimer);
    agent.destroy();
  }
}

function failureOutcome(error: unknown, settings: CandidateSettings, deadline: AbortSignal): Pick<CandidateReport, 'outcome' | 'error'> {
  if (settings.signal.aborted) return { outcome: 'cancelled' };
  if (deadline.aborted || (error instanceof NetworkError && error.kind === 'timeout')) {
    return { outcome: 'timeout', error: { kind: 'timeout', message: `No complete answer to /status within ${settings.timeoutMs} ms.` } };
  }
  if (error instanceof NetworkError) {
    // A status page too large to be one is a wrong server, not a broken network.
    if (error.kind === 'too-large') return { outcome: 'unhealthy', error: { kind: 'unhealthy', message: `${error.message} That is not a Bitbucket status.` } };
    return { outcome: 'unreachable', error: { kind: error.kind, message: error.message } };
  }
  return { outcome: 'unreachable', error: { kind: 'reset', message: error instanceof Error ? error.message : String(error) } };
}
