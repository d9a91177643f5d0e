/**
 * git's own HTTPS trusts the same extra CA as the helper: with the bundle from gitTrustConfig a
 * company-CA server gets past certificate verification; without it git refuses the certificate.
 * (The test server speaks Bitbucket's REST only, so git then fails for another reason: that it
 * got that far is the point.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { createTestCertificates, type TestCertificates } from '../fixtures/tls/certificates';
import { startTlsBitbucket, type TlsBitbucket } from '../fixtures/tls/https-server';
import { gitTrust } from '../../electron/helper/net/git-trust';
import { runGit, GitError } from '../../electron/helper/git/runner';
import { makeTempDir } from '../support/temp-dir';

let certificates: TestCertificates;
let server: TlsBitbucket;
let data: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  certificates = await createTestCertificates();
  server = await startTlsBitbucket(certificates.valid);
  data = await makeTempDir('git-trust');
});

afterAll(async () => {
  await server?.stop();
  await data?.cleanup();
});

/** This machine may itself set GIT_SSL_CAINFO; the "without" case must not inherit it. */
async function lsRemoteError(env: Record<string, string>): Promise<string> {
  try {
    await runGit(['ls-remote', '--', `${server.baseUrl}/scm/proj/repo.git`], { env, timeoutMs: 20_000 });
    return '';
  } catch (error) {
    return error instanceof GitError ? `${error.message}\n${error.stderrTail}` : String(error);
  }
}

describe('git and the extra CA', () => {
  it('refuses the company-CA certificate without the bundle', async () => {
    expect(await lsRemoteError({})).toMatch(/certificate/i);
  });

  it('keeps what the user already trusted through GIT_SSL_CAINFO', async () => {
    const trust = await gitTrust('-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----', data.path, { GIT_SSL_CAINFO: certificates.caFile });
    expect(await readFile(trust.bundle!, 'utf8')).toContain((await readFile(certificates.caFile, 'utf8')).trim());
  });

  it('trusts it with the bundle, which still holds the usual public authorities', async () => {
    const ca = await readFile(certificates.caFile, 'utf8');
    const trust = await gitTrust(ca, data.path, {});
    expect(trust.env).toEqual({ GIT_SSL_CAINFO: trust.bundle });
    const bundle = await readFile(trust.bundle!, 'utf8');
    expect(bundle).toContain(ca.trim());
    expect(bundle).toContain(tls.rootCertificates[0]!.trim());
    const failure = await lsRemoteError(trust.env);
    expect(failure, failure).not.toMatch(/certificate/i);
  });

  it('sets nothing when there is no extra CA', async () => {
    expect(await gitTrust(undefined, data.path)).toEqual({ env: {} });
  });
});
