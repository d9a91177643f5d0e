/**
 * TLS failures when connecting a Bitbucket primary, through the real contract and the real CLI,
 * against HTTPS servers with throwaway certificates: each failed check is named, the hint says
 * what to do (never "turn checks off"), an extra trusted CA file makes exactly the right server
 * trusted, and removing it takes the trust away again, kept-alive connections included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ContractError } from '../../shared/contract';
import { createTestCertificates, type TestCertificates } from '../fixtures/tls/certificates';
import { startTlsBitbucket, tlsBitbucketToken, type TlsBitbucket } from '../fixtures/tls/https-server';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';
import { httpRequest } from '../../electron/helper/net/http-request';
import { createConnectionPool } from '../../electron/helper/net/connection-pool';
import { NetworkError } from '../../electron/helper/net/network-error';
import { createSettingsStore } from '../../electron/helper/store/settings-store';

let certs: TestCertificates;
let valid: TlsBitbucket;
let expired: TlsBitbucket;
let notYetValid: TlsBitbucket;
let wrongHost: TlsBitbucket;
let selfSigned: TlsBitbucket;

beforeAll(async () => {
  certs = await createTestCertificates();
  [valid, expired, notYetValid, wrongHost, selfSigned] = await Promise.all([
    startTlsBitbucket(certs.valid),
    startTlsBitbucket(certs.expired),
    startTlsBitbucket(certs.notYetValid),
    startTlsBitbucket(certs.wrongHost),
    startTlsBitbucket(certs.selfSigned),
  ]);
});

afterAll(async () => {
  await Promise.all([valid, expired, notYetValid, wrongHost, selfSigned].map((server) => server?.stop()));
  await certs?.cleanup();
});

const hostOf = (server: TlsBitbucket) => new URL(server.baseUrl).host;

// Any advice to weaken verification, in the words it usually comes in.
const weakeningAdvice = /turn(ed|ing)? (it |them |the checks? |certificate checks? )?off|disabl|skip|ignor|insecure|NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized|sslVerify|GIT_SSL_NO_VERIFY|\s-k\b/i;

describe('TLS failures through primaries.check', () => {
  let helper: InProcessHelper;
  beforeAll(async () => {
    helper = await startInProcessHelper();
  });
  afterAll(() => helper?.stop());

  const check = (server: TlsBitbucket) => helper.client.call('primaries.check', { baseUrl: server.baseUrl, credentials: { kind: 'token', token: tlsBitbucketToken } });

  async function tlsFailure(server: TlsBitbucket, kind: string): Promise<ContractError> {
    const error = await check(server).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error, `${server.baseUrl} was expected to fail with ${kind}`).toBeInstanceOf(ContractError);
    const failure = error as ContractError;
    expect({ code: failure.code, kind: failure.details?.kind }).toEqual({ code: 'TLS', kind });
    expect(failure.details?.host).toBe(hostOf(server));
    expect(failure.message).toContain(`Could not connect securely to ${hostOf(server)}`);
    expect(failure.hint).toBeTruthy();
    expect(`${failure.message} ${failure.hint}`).not.toMatch(weakeningAdvice);
    return failure;
  }

  it('the pattern for weakening advice catches what it is meant to (so the checks below can fail)', () => {
    for (const advice of ['Turn certificate checks off', 'disable verification', 'set NODE_TLS_REJECT_UNAUTHORIZED=0', 'use curl -k', 'git -c http.sslVerify=false']) {
      expect(advice).toMatch(weakeningAdvice);
    }
  });

  it('names an unknown issuer, and points to the trusted CA file setting', async () => {
    const failure = await tlsFailure(valid, 'tls-untrusted');
    expect(failure.message).toBe(`Could not connect securely to ${hostOf(valid)}: its certificate is issued by a certificate authority this computer does not trust (unknown issuer).`);
    expect(failure.hint).toContain('trusted CA file');
    expect(failure.hint).toContain('--ca-file');
  });

  it('names a self-signed certificate as untrusted', async () => {
    const failure = await tlsFailure(selfSigned, 'tls-untrusted');
    expect(failure.message).toContain('its certificate is self-signed');
    expect(failure.hint).toContain('trusted CA file');
  });

  it('names an expired certificate, and tells the user to check the clock or have it renewed', async () => {
    const failure = await tlsFailure(expired, 'tls-expired');
    expect(failure.message).toBe(`Could not connect securely to ${hostOf(expired)}: its certificate has expired.`);
    expect(failure.hint).toMatch(/date and time/);
    expect(failure.hint).toMatch(/renew/);
  });

  it('reports the unknown issuer first for a wrong-name certificate: a name nobody vouches for proves nothing', async () => {
    await tlsFailure(wrongHost, 'tls-untrusted');
  });

  it('says so when the server does not speak HTTPS at all', async () => {
    const plain = http.createServer((_request, response) => response.end('plain'));
    plain.listen(0, '127.0.0.1');
    await once(plain, 'listening');
    try {
      const port = (plain.address() as AddressInfo).port;
      const failure = await tlsFailure({ baseUrl: `https://127.0.0.1:${port}` } as TlsBitbucket, 'tls-other');
      expect(failure.message).toContain('it does not answer with HTTPS there (is it an http:// address, or the wrong port?)');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('refuses a CA file that is not a PEM certificate file, and keeps the setting as it was', async () => {
    for (const file of [certs.notPemFile, certs.privateKeyFile, certs.damagedPemFile]) {
      const error = await helper.client.call('settings.update', { extraCaFile: file }).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).code).toBe('INVALID_PARAMS');
      expect((error as ContractError).message).toContain(file);
      expect((error as ContractError).hint).toContain('BEGIN CERTIFICATE');
    }
    const missing = path.join(path.dirname(certs.caFile), 'missing.pem');
    await expect(helper.client.call('settings.update', { extraCaFile: missing })).rejects.toMatchObject({ code: 'NOT_FOUND', message: `The CA file ${missing} does not exist.` });
    expect((await helper.client.call('settings.get', {})).extraCaFile).toBeUndefined();
  });

  it('with the CA file trusted, connects the valid server and still refuses the expired and wrong-name ones', async () => {
    const settings = await helper.client.call('settings.update', { extraCaFile: certs.caFile });
    expect(settings.extraCaFile).toBe(certs.caFile);

    await expect(check(valid)).resolves.toMatchObject({ version: '8.19.1', displayName: 'Bitbucket', authenticated: true, username: 'dev' });

    await tlsFailure(expired, 'tls-expired');
    const early = await tlsFailure(notYetValid, 'tls-not-yet-valid');
    expect(early.message).toBe(`Could not connect securely to ${hostOf(notYetValid)}: its certificate is not valid yet.`);
    expect(early.hint).toMatch(/date and time/);
    const wrongName = await tlsFailure(wrongHost, 'tls-hostname');
    expect(wrongName.message).toBe(`Could not connect securely to ${hostOf(wrongHost)}: its certificate is for other.example, not for 127.0.0.1 (host name mismatch).`);
    expect(wrongName.hint).toContain('Trusting an extra CA file does not change this check');
    // The test CA did not sign it, so trusting the CA changes nothing for it.
    await tlsFailure(selfSigned, 'tls-untrusted');
  });

  it('takes the trust away when the CA file is cleared, even from a kept-alive connection', async () => {
    await helper.client.call('settings.update', { extraCaFile: certs.caFile });
    await check(valid);
    const before = valid.connections;
    await check(valid);
    // The pool is really in use: the second check rode the same connection...
    expect(valid.connections).toBe(before);

    expect((await helper.client.call('settings.update', { extraCaFile: null })).extraCaFile).toBeUndefined();
    // ...and yet, with the CA gone, the next check is not allowed to reuse it.
    await tlsFailure(valid, 'tls-untrusted');
    expect(valid.connections).toBe(before + 1);
  });

  it('trusts a self-signed server once its own certificate is the CA file', async () => {
    await helper.client.call('settings.update', { extraCaFile: certs.selfSignedFile });
    await expect(check(selfSigned)).resolves.toMatchObject({ version: '8.19.1' });
    await tlsFailure(valid, 'tls-untrusted');
    await helper.client.call('settings.update', { extraCaFile: null });
  });
});

describe('httpRequest and the connection pool', () => {
  it('never reuses a socket verified under an extra CA for a request without it', async () => {
    const pool = createConnectionPool();
    try {
      const url = new URL(`${valid.baseUrl}/rest/api/1.0/application-properties`);
      const ca = await readFile(certs.caFile);
      const agent = pool.agentFor(url);
      const first = await httpRequest({ url, agent, ca });
      expect(first.status).toBe(200);
      const connections = valid.connections;
      await httpRequest({ url, agent, ca: Buffer.from(ca) }); // same certificates, another Buffer: same pool
      expect(valid.connections).toBe(connections);

      const failure = await httpRequest({ url, agent }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NetworkError);
      expect((failure as NetworkError).kind).toBe('tls-untrusted');
      expect(valid.connections).toBe(connections + 1);
    } finally {
      pool.destroy();
    }
  });
});

describe('the source never turns certificate verification off', () => {
  const forbidden = [
    { what: 'rejectUnauthorized set to anything but true', pattern: /rejectUnauthorized\s*[:=](?!\s*true\b)/ },
    { what: 'NODE_TLS_REJECT_UNAUTHORIZED', pattern: /NODE_TLS_REJECT_UNAUTHORIZED/ },
    { what: "git's sslVerify or GIT_SSL_NO_VERIFY", pattern: /sslVerify|GIT_SSL_NO_VERIFY/i },
    { what: 'a replaced host name check', pattern: /checkServerIdentity\s*[:=]/ },
  ];

  it('the patterns catch what they are meant to', () => {
    const caught = (sample: string) => forbidden.filter(({ pattern }) => pattern.test(sample)).map(({ what }) => what);
    expect(caught('{ rejectUnauthorized: false }')).toEqual([forbidden[0]!.what]);
    expect(caught('agent.options.rejectUnauthorized = insecure')).toEqual([forbidden[0]!.what]);
    expect(caught("env.NODE_TLS_REJECT_UNAUTHORIZED = '0'")).toEqual([forbidden[1]!.what]);
    expect(caught("['-c', 'http.sslVerify=false']")).toEqual([forbidden[2]!.what]);
    expect(caught('checkServerIdentity: () => undefined')).toEqual([forbidden[3]!.what]);
    expect(caught('{ rejectUnauthorized: true }')).toEqual([]);
  });

  it('no file under electron/ does any of it', async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'electron');
    const files = (await readdir(root, { recursive: true })).filter((file) => /\.(ts|tsx|js|mjs|cjs)$/.test(file));
    expect(files.length).toBeGreaterThan(20);
    const offences: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(root, file), 'utf8');
      for (const { what, pattern } of forbidden) if (pattern.test(text)) offences.push(`${file}: ${what}`);
    }
    expect(offences).toEqual([]);
  });
});

describe('mirror-clone --ca-file', () => {
  let keyring: TestKeyring;
  let home: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    [keyring, home] = await Promise.all([startTestKeyring(), makeTempDir('tls-cli')]);
  });
  afterAll(async () => {
    await keyring?.stop();
    await home?.cleanup();
  });

  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...keyring.env, MIRROR_CLONE_HOME: home.path, ...extraEnv };
    for (const name of ['MIRROR_CLONE_TOKEN', 'MIRROR_CLONE_CA_FILE', 'NODE_EXTRA_CA_CERTS']) if (!(name in extraEnv)) delete env[name];
    return runCliProcess(args, { env, input: `${tlsBitbucketToken}\n` });
  };
  const storedCaFile = () => createSettingsStore(home.path).get().extraCaFile;

  it('without it, login names the unknown issuer and suggests --ca-file', async () => {
    const result = await cli(['login', valid.baseUrl, '--token-stdin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not connect securely to ${hostOf(valid)}`);
    expect(result.stderr).toContain('unknown issuer');
    expect(result.stderr).toContain('--ca-file FILE');
  });

  it('trusts the CA for that one command, and does not store it', async () => {
    const login = await cli(['login', valid.baseUrl, '--token-stdin', '--ca-file', certs.caFile]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('(Bitbucket 8.19.1)');
    expect(storedCaFile()).toBeUndefined();

    const again = await cli(['--json', 'login', valid.baseUrl, '--token-stdin']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'TLS' } });
  });

  it('takes --ca-file=FILE before the command, and MIRROR_CLONE_CA_FILE from the environment', async () => {
    const relative = path.relative(path.resolve(import.meta.dirname, '..', '..'), certs.caFile);
    const flagFirst = await cli([`--ca-file=${certs.caFile}`, 'login', valid.baseUrl, '--token-stdin']);
    expect(flagFirst.code, flagFirst.stderr).toBe(0);
    const fromEnv = await cli(['login', valid.baseUrl, '--token-stdin'], { MIRROR_CLONE_CA_FILE: relative });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(storedCaFile()).toBeUndefined();
  });

  it('still refuses the expired and wrong-name servers with the CA trusted', async () => {
    const expiredLogin = await cli(['--json', 'login', expired.baseUrl, '--token-stdin', '--ca-file', certs.caFile]);
    expect(JSON.parse(expiredLogin.stderr)).toMatchObject({ error: { code: 'TLS', message: `Could not connect securely to ${hostOf(expired)}: its certificate has expired.` } });
    const wrongName = await cli(['--json', 'login', wrongHost.baseUrl, '--token-stdin', '--ca-file', certs.caFile]);
    expect(JSON.parse(wrongName.stderr).error.message).toContain('its certificate is for other.example, not for 127.0.0.1');
  });

  it('adds to the authorities Node trusts rather than replacing them', async () => {
    // NODE_EXTRA_CA_CERTS stands in for the default list here: the self-signed server is trusted
    // through it, and must stay trusted when --ca-file adds the test CA.
    const both = await cli(['login', selfSigned.baseUrl, '--token-stdin', '--ca-file', certs.caFile], { NODE_EXTRA_CA_CERTS: certs.selfSignedFile });
    expect(both.code, both.stderr).toBe(0);
    const caOnly = await cli(['--json', 'login', selfSigned.baseUrl, '--token-stdin', '--ca-file', certs.caFile]);
    expect(JSON.parse(caOnly.stderr)).toMatchObject({ error: { code: 'TLS' } });
  });

  it('applies to discover too', async () => {
    const repository = `${valid.baseUrl}/projects/PROJ/repos/repo`;
    const env = { MIRROR_CLONE_TOKEN: tlsBitbucketToken };
    const without = await cli(['--json', 'discover', repository], env);
    expect(JSON.parse(without.stderr)).toMatchObject({ error: { code: 'TLS' } });
    // This tiny server has no repositories: getting past TLS to "no such repository" is the point.
    const withCa = await cli(['--json', 'discover', repository, '--ca-file', certs.caFile], env);
    expect(JSON.parse(withCa.stderr)).toMatchObject({ error: { code: 'NOT_FOUND', message: `PROJ/repo does not exist on ${hostOf(valid)}, or this account cannot see it.` } });
  });

  it('refuses a file that is not a CA file, and a missing value', async () => {
    const notPem = await cli(['login', valid.baseUrl, '--token-stdin', '--ca-file', certs.notPemFile]);
    expect(notPem.code).toBe(1);
    expect(notPem.stderr).toContain(`The CA file given with --ca-file (or MIRROR_CLONE_CA_FILE), ${certs.notPemFile}, is not a PEM certificate file`);
    const noValue = await cli(['login', valid.baseUrl, '--token-stdin', '--ca-file']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--ca-file needs the path of a PEM file');
  });

  it('documents the flag and MIRROR_CLONE_CA_FILE in --help', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/--ca-file FILE/);
    expect(help.stdout).toMatch(/MIRROR_CLONE_CA_FILE/);
  });
});
