// One candidate at a time, over real loopback servers behind the shaping proxy: what is timed,
// what is sent, and how each kind of failure is reported.
import { afterEach, describe, expect, it } from 'vitest';
import { startProbe } from '../../electron/helper/probe';
import type { CandidateReport, ProbeOptions, SampleEvent } from '../../electron/helper/probe';
import { eventually, startStatusServer, type StatusServer, type StatusServerOptions } from '../fixtures/net/status-server';

const servers: StatusServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

async function server(options: StatusServerOptions): Promise<StatusServer> {
  const started = await startStatusServer(options);
  servers.push(started);
  return started;
}

async function probeOne(baseUrl: string, options: ProbeOptions = {}): Promise<CandidateReport> {
  const report = await startProbe([{ id: 'only', baseUrl }], options).finished;
  return report.candidates[0];
}

describe('probe: timing one candidate', () => {
  it('samples over a 50 ms one-way link measure about 100 ms, on one kept-alive connection', async () => {
    const status = await server({ delayMs: 50, contextPath: '/bitbucket' });
    const events: SampleEvent[] = [];
    const report = await probeOne(status.baseUrl, { onSample: (event) => events.push(event) });

    expect(report.outcome).toBe('measured');
    expect(report.samplesMs).toHaveLength(5);
    // The proxy delays each direction by 50 ms, so no sample can be below 100 ms (half a ms of timer slack).
    for (const sample of report.samplesMs) expect(sample).toBeGreaterThanOrEqual(99);
    expect(report.medianMs).toBeGreaterThanOrEqual(99);
    expect(report.medianMs).toBeLessThanOrEqual(130);
    expect(report.spreadMs).toBeLessThan(25);
    expect(report.warmupMs).toBeGreaterThanOrEqual(99);

    // Warm-up and five samples over one TCP connection, seen from both ends.
    expect(status.connections).toBe(1);
    expect(report.connections).toBe(1);
    expect(status.requests.map((r) => r.path)).toEqual(Array(6).fill('/bitbucket/status'));

    // The agent is destroyed at the end: the kept-alive connection does not linger until the
    // server's idle timeout (5 s).
    expect(await eventually(() => status.openSockets === 0, 1_000)).toBe(true);

    expect(events.map((e) => `${e.kind}${e.index}`)).toEqual(['connect0', 'warmup0', 'sample0', 'sample1', 'sample2', 'sample3', 'sample4']);
    expect(events.filter((e) => e.kind === 'sample').map((e) => e.ms)).toEqual(report.samplesMs);
    console.log(`one candidate, 100 ms RTT: connect ${report.connectMs} ms, warm-up ${report.warmupMs} ms, samples ${report.samplesMs.join(', ')} ms`);
  });

  it('sends no Authorization header and no cookie to /status, even when the base URL carries user info', async () => {
    const status = await server({ delayMs: 0 });
    const withUserInfo = status.baseUrl.replace('http://', 'http://dev:s3cret-token@');
    const report = await probeOne(withUserInfo, { samples: 2 });

    expect(report.outcome).toBe('measured');
    expect(status.requests).toHaveLength(3);
    for (const request of status.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers.cookie).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain('s3cret');
    }
  });

  it('counts a sample without its reconnect when the server closes the kept-alive connection', async () => {
    const status = await server({ delayMs: 20, answer: { status: 200, body: '{"state":"RUNNING"}', headers: { Connection: 'close' } } });
    const report = await probeOne(status.baseUrl, { samples: 3 });

    expect(report.outcome).toBe('measured');
    expect(report.connections).toBe(4);
    // Through the proxy the connect is local and quick; what remains is the 40 ms round trip.
    for (const sample of report.samplesMs) expect(sample).toBeGreaterThanOrEqual(39);
    expect(report.medianMs).toBeLessThan(70);
  });
});

describe('probe: unhealthy and unreachable candidates', () => {
  it.each([
    ['STARTING', { status: 503, body: '{"state":"STARTING"}' }, /starting up/],
    ['MAINTENANCE', { status: 200, body: '{"state":"MAINTENANCE"}' }, /maintenance/],
    ['FIRST_RUN', { status: 200, body: '{"state":"FIRST_RUN"}' }, /not been set up/],
  ])('%s is unhealthy with a readable reason', async (state, answer, reason) => {
    const status = await server({ delayMs: 5, answer });
    const report = await probeOne(status.baseUrl);

    expect(report.outcome).toBe('unhealthy');
    expect(report.state).toBe(state);
    expect(report.httpStatus).toBe(answer.status);
    expect(report.error?.kind).toBe('unhealthy');
    expect(report.error?.message).toMatch(reason);
    expect(report.medianMs).toBeUndefined();
    // It stops at the first unhealthy answer.
    expect(status.requests).toHaveLength(1);
  });

  it('an HTML page where /status should be is unhealthy, not a crash', async () => {
    const status = await server({ delayMs: 5, answer: { status: 200, body: '<!DOCTYPE html><html><title>Log in</title></html>', contentType: 'text/html' } });
    const report = await probeOne(status.baseUrl);

    expect(report.outcome).toBe('unhealthy');
    expect(report.state).toBeUndefined();
    expect(report.error?.message).toMatch(/HTML page \(HTTP 200\)/);
  });

  it('a redirect from /status is unhealthy and is not followed', async () => {
    const status = await server({ delayMs: 5, answer: { status: 302, body: '', headers: { Location: 'http://127.0.0.1:1/login' } } });
    const report = await probeOne(status.baseUrl);

    expect(report.outcome).toBe('unhealthy');
    expect(report.error?.message).toMatch(/redirect/);
    expect(status.requests).toHaveLength(1);
  });

  it('a server that turns unhealthy between samples ends as unhealthy', async () => {
    const status = await server({ delayMs: 20 });
    const report = await startProbe([{ id: 'only', baseUrl: status.baseUrl }], {
      onSample: (event) => {
        if (event.kind === 'sample' && event.index === 1) status.setAnswer({ status: 200, body: '{"state":"MAINTENANCE"}' });
      },
    }).finished;

    expect(report.candidates[0].outcome).toBe('unhealthy');
    expect(report.candidates[0].samplesMs).toHaveLength(2);
  });

  it("a refused connection is 'unreachable' with kind 'refused'", async () => {
    const status = await server({ delayMs: 5, fault: { kind: 'refuse' } });
    const started = performance.now();
    const report = await probeOne(status.baseUrl);

    expect(report.outcome).toBe('unreachable');
    expect(report.error?.kind).toBe('refused');
    expect(report.error?.message).toMatch(/refused/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a blackholed server (accepts, never answers) is a 'timeout' at the candidate's deadline", async () => {
    const status = await server({ delayMs: 5, fault: { kind: 'stall' } });
    const started = performance.now();
    const report = await probeOne(status.baseUrl, { timeoutMs: 400 });
    const tookMs = performance.now() - started;

    expect(report.outcome).toBe('timeout');
    expect(report.error?.message).toMatch(/400 ms/);
    expect(tookMs).toBeGreaterThanOrEqual(395);
    expect(tookMs).toBeLessThan(1_200);
  });

  it('a base URL that is not http(s) is refused before anything is sent', async () => {
    const report = await probeOne('file:///etc/passwd');
    expect(report.outcome).toBe('unreachable');
    expect(report.error?.kind).toBe('bad-url');
  });
});

describe('probe: cancelling', () => {
  it('an aborted signal stops every measurement promptly and leaves no connection open', async () => {
    const far = await Promise.all([server({ delayMs: 150 }), server({ delayMs: 150 }), server({ delayMs: 5, fault: { kind: 'stall' } })]);
    const controller = new AbortController();
    const probe = startProbe(
      far.map((s, i) => ({ id: `far-${i}`, baseUrl: s.baseUrl })),
      { signal: controller.signal },
    );
    await eventually(() => far[0].requests.length >= 2, 3_000);
    const abortedAt = performance.now();
    controller.abort();
    const report = await probe.finished;
    const stoppedInMs = performance.now() - abortedAt;

    expect(stoppedInMs).toBeLessThan(100);
    expect(report.cancelled).toBe(true);
    expect(report.candidates.map((c) => c.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await probe.decided).cancelled).toBe(true);
    // The client's sockets are gone: the proxies see their connections close (after the link
    // delay), and the servers are left with nothing open. A stalled proxy forwards nothing, not
    // even the close, so the stall is lifted first: a client socket still open would keep its
    // proxied connection open after that.
    far[2].proxy.setFault({ kind: 'none' });
    expect(await eventually(() => far.every((s) => s.proxy.openConnections === 0), 2_000)).toBe(true);
    expect(await eventually(() => far.every((s) => s.openSockets === 0), 2_000)).toBe(true);
  });
});
