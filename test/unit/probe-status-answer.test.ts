import { describe, expect, it } from 'vitest';
import { readStatusAnswer } from '../../electron/helper/probe/status-answer';
import { statusUrlOf } from '../../electron/helper/probe/measure-candidate';

describe('readStatusAnswer', () => {
  it('only 200 with RUNNING is healthy', () => {
    expect(readStatusAnswer(200, 'application/json', '{"state":"RUNNING"}')).toEqual({ healthy: true, state: 'RUNNING' });
    expect(readStatusAnswer(503, 'application/json', '{"state":"RUNNING"}')).toMatchObject({ healthy: false, state: 'RUNNING' });
  });

  it.each([
    [503, 'STARTING', /still starting up \(HTTP 503\)/],
    [200, 'MAINTENANCE', /maintenance mode/],
    [200, 'FIRST_RUN', /first run/],
    [503, 'STOPPING', /shutting down/],
    [500, 'ERROR', /error state/],
    [200, 'SOMETHING_NEW', /reports the state SOMETHING_NEW/],
  ])('HTTP %i with %s is unhealthy with a reason', (status, state, reason) => {
    const verdict = readStatusAnswer(status, 'application/json', JSON.stringify({ state }));
    expect(verdict.healthy).toBe(false);
    expect(verdict.state).toBe(state);
    expect(verdict.reason).toMatch(reason);
  });

  it('an HTML page is named as such', () => {
    const verdict = readStatusAnswer(200, 'text/html;charset=UTF-8', '<html><body>Log in</body></html>');
    expect(verdict.healthy).toBe(false);
    expect(verdict.state).toBeUndefined();
    expect(verdict.reason).toMatch(/an HTML page \(HTTP 200\)/);
  });

  it('other bodies are quoted briefly', () => {
    expect(readStatusAnswer(200, 'text/plain', 'OK').reason).toMatch(/"OK"/);
    expect(readStatusAnswer(200, 'application/json', '{"status":"up"}').reason).toMatch(/not a Bitbucket status/);
    expect(readStatusAnswer(404, undefined, '').reason).toMatch(/an empty body \(HTTP 404\)/);
    expect(readStatusAnswer(200, 'text/plain', 'x'.repeat(500)).reason!.length).toBeLessThan(200);
  });

  it('a redirect is unhealthy', () => {
    expect(readStatusAnswer(302, 'text/html', '').reason).toMatch(/redirect/);
  });
});

describe('statusUrlOf', () => {
  it('keeps a context path and drops query, fragment and user info', () => {
    expect(statusUrlOf('https://bb.example.com/bitbucket/').href).toBe('https://bb.example.com/bitbucket/status');
    expect(statusUrlOf('https://bb.example.com/bitbucket').href).toBe('https://bb.example.com/bitbucket/status');
    expect(statusUrlOf('https://bb.example.com').href).toBe('https://bb.example.com/status');
    expect(statusUrlOf('http://user:token@mirror:7990/?jwt=abc#x').href).toBe('http://mirror:7990/status');
  });
});
