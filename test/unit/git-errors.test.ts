// Classifying git failures from what git really printed (test/fixtures/git-output/, captured by
// capture.ts against the emulator) and from lines other git/curl/ssh versions print; redaction.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyGitStderr, describeFailure, redactSecrets, stderrTail, summaryLine } from '../../electron/helper/git/errors';
import { commandName } from '../../electron/helper/git/runner';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/git-output/${name}.txt`, import.meta.url), 'utf8');

describe('classifyGitStderr on captured output', () => {
  it.each([
    ['fail-auth', 'auth-failed'],
    ['fail-not-found', 'repository-not-found'],
    ['fail-refused', 'connection-refused'],
    ['fail-cut', 'network'],
    ['fail-protocol', 'protocol-not-allowed'],
    ['fail-destination-exists', 'destination-exists'],
    ['fail-not-a-repository', 'not-a-repository'],
    ['fail-object-refused', 'object-refused'],
    ['ssh-publickey', 'permission-denied-publickey'],
    ['ssh-host-key-unknown', 'host-key-unknown'],
    ['ssh-host-key-changed', 'host-key-changed'],
  ])('%s -> %s', (name, kind) => {
    expect(classifyGitStderr(fixture(name))).toBe(kind);
  });

  it('reads a protocol v2 server without the object as a refusal too', () => {
    expect(classifyGitStderr('fatal: git upload-pack: not our ref 0123456789abcdef0123456789abcdef01234567\nfatal: remote error: upload-pack: not our ref 0123456789abcdef0123456789abcdef01234567')).toBe('object-refused');
  });

  it('does not read a successful clone as a failure', () => {
    expect(classifyGitStderr(fixture('clone-checkout'))).toBe('unknown');
    expect(classifyGitStderr(fixture('fetch'))).toBe('unknown');
  });
});

describe('classifyGitStderr on other wordings', () => {
  it.each([
    ["fatal: Authentication failed for 'https://bitbucket.example.com/scm/p/r.git/'", 'auth-failed'],
    ["fatal: unable to access 'https://h/r.git/': The requested URL returned error: 401", 'auth-failed'],
    ["fatal: unable to access 'https://h/r.git/': The requested URL returned error: 403", 'auth-failed'],
    ["fatal: could not read Password for 'https://dev@h': terminal prompts disabled", 'auth-failed'],
    ["fatal: unable to access 'https://nowhere.invalid/r.git/': Could not resolve host: nowhere.invalid", 'network'],
    ["fatal: unable to access 'https://h/r.git/': Failed to connect to h port 443 after 21004 ms: Timed out", 'network'],
    ['ssh: connect to host h port 7999: Connection timed out', 'network'],
    ['ssh: connect to host h port 7999: Connection refused', 'connection-refused'],
    ['error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502', 'network'],
    ['fatal: the remote end hung up unexpectedly', 'network'],
    ["fatal: unable to access 'https://h/r.git/': SSL certificate problem: self-signed certificate", 'network'],
    ["fatal: '/proj/missing.git' does not appear to be a git repository", 'repository-not-found'],
    ["fatal: transport 'file' not allowed", 'protocol-not-allowed'],
    ['fatal: --local can only be used inside a git repository', 'not-a-repository'],
    ['fatal: something nobody has seen before', 'unknown'],
  ])('%s -> %s', (stderr, kind) => {
    expect(classifyGitStderr(stderr)).toBe(kind);
  });
});

describe('redactSecrets', () => {
  it('hides URL user info, Authorization headers, Bearer tokens and given literals', () => {
    const text = [
      "fatal: unable to access 'https://dev:s3cret-token@host/scm/p/r.git/': error",
      '=> Send header: Authorization: Basic ZGV2OnMzY3JldA==',
      'token was Bearer BBDC-abcdef123456',
      'header value NzQ5ODI0MjY5NzA1OsecretLiteral',
    ].join('\n');
    const out = redactSecrets(text, ['NzQ5ODI0MjY5NzA1OsecretLiteral', 'C']);
    expect(out).not.toMatch(/s3cret-token|ZGV2OnMzY3JldA|BBDC-abcdef123456|NzQ5ODI0MjY5NzA1/);
    expect(out).toContain("https://<redacted>@host/scm/p/r.git/");
    expect(out).toContain('Authorization: <redacted>');
    expect(out).toContain('Bearer <redacted>');
    // Short literals are flags, not secrets: text stays readable.
    expect(out).toContain('Send header');
  });
});

describe('stderrTail and summaryLine', () => {
  it('keeps the last lines, treating progress carriage returns as line ends', () => {
    const tail = stderrTail(fixture('fail-cut'), 5);
    expect(tail.split('\n')).toHaveLength(5);
    expect(tail.split('\n').at(-1)).toBe('fatal: fetch-pack: invalid index-pack output');
    expect(tail).not.toContain('\r');
  });

  it('summarises with the last fatal line', () => {
    expect(summaryLine(stderrTail(fixture('fail-not-found')))).toMatch(/^repository '.*' not found$/);
    expect(describeFailure('repository-not-found', 'clone', stderrTail(fixture('fail-not-found')))).toMatch(/^git clone failed: the server has no repository/);
  });
});

describe('commandName', () => {
  it('finds the subcommand after global options, and never returns an argument', () => {
    expect(commandName(['-C', '/repo', 'config', '--get', 'a.b'])).toBe('config');
    expect(commandName(['--no-optional-locks', '-C', '/repo', 'status'])).toBe('status');
    expect(commandName(['-c', 'x.y=z', 'clone', '--', 'https://h/r.git', '/d'])).toBe('clone');
    expect(commandName(['--version'])).toBeUndefined();
  });
});
