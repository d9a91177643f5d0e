/**
 * Fetching the team file a link names, from a real https server on 127.0.0.1 with a test CA:
 * the file itself (also after a redirect, and saved with a byte-order mark), and each way the
 * address can fail to be one, with the message a person sees. No credentials are ever sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ContractError } from '../../shared/contract';
import { parseTeamFile, writeTeamFile } from '../../shared/team-file';
import { fetchTeamFile } from '../../electron/helper/team-file/fetch-team-file';
import { createTestCertificates, type TestCertificates } from '../fixtures/tls/certificates';
import { startTeamFileServer, type TeamFileServer } from '../fixtures/tls/team-file-server';

const teamText = writeTeamFile({ primary: 'https://bitbucket.example.com', projects: ['CORE'], repositories: ['LIBS/lib-a'], layout: 'flat', protocol: 'https' });

let certs: TestCertificates;
let server: TeamFileServer;
let ca: string;

beforeAll(async () => {
  certs = await createTestCertificates();
  ca = await readFile(certs.caFile, 'utf8');
  server = await startTeamFileServer(certs.valid, teamText);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await certs?.cleanup();
});

const at = (path: string) => `${server.baseUrl}${path}`;

async function failure(promise: Promise<unknown>): Promise<ContractError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ContractError);
  return error as ContractError;
}

describe('fetching a linked team file', () => {
  it('brings the file as text, named by its address, and sends no credentials', async () => {
    const fetched = await fetchTeamFile(at('/files/team.json'), { ca });
    expect(fetched).toEqual({ url: at('/files/team.json'), name: 'team.json', text: teamText });
    expect(parseTeamFile(fetched.text).ok).toBe(true);
    expect(server.requests.every((request) => request.authorization === undefined)).toBe(true);
  });

  it('follows a redirect within https, and drops a byte-order mark', async () => {
    expect(await fetchTeamFile(at('/files/moved'), { ca })).toMatchObject({ url: at('/files/team.json'), text: teamText });
    expect((await fetchTeamFile(at('/files/saved-with-bom.json'), { ca })).text).toBe(teamText);
  });

  it('refuses anything but https, before any request', async () => {
    const before = server.requests.length;
    for (const url of ['http://127.0.0.1:1/team.json', 'file:///etc/passwd', 'javascript:alert(1)', 'not an address']) {
      expect((await failure(fetchTeamFile(url, { ca }))).code).toBe('UNSAFE_URL');
    }
    expect((await failure(fetchTeamFile(at('/files/team.json').replace('https://', 'https://me:pw@'), { ca }))).message).toContain('user name or password');
    expect(server.requests.length).toBe(before);
  });

  it('does not follow a redirect to plain http, nor one round in a loop', async () => {
    const toHttp = await failure(fetchTeamFile(at('/files/to-http'), { ca }));
    expect(toHttp.code).toBe('UNSAFE_URL');
    expect(toHttp.message).toContain('only over https');
    const loop = await failure(fetchTeamFile(at('/files/loop'), { ca }));
    expect(loop.message).toContain('more than 3 times');
  });

  it('says a sign-in page is a web page, not a team file, whatever its type says', async () => {
    for (const path of ['/files/sign-in', '/files/page-as-text.json']) {
      const error = await failure(fetchTeamFile(at(path), { ca }));
      expect(error.message).toContain('answered with a web page, not a team file');
      expect(error.hint).toContain('drop it on the mirror-clone window');
    }
  });

  it('says a 401 asks to sign in, and that no credentials are sent', async () => {
    const error = await failure(fetchTeamFile(at('/files/private.json'), { ca }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/asks to sign in .*HTTP 401.*sends no credentials/);
  });

  it('says when there is no file at the address', async () => {
    const error = await failure(fetchTeamFile(at('/files/gone.json'), { ca }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('HTTP 404');
  });

  it('stops a file far larger than a team file', async () => {
    const error = await failure(fetchTeamFile(at('/files/huge.json'), { ca }));
    expect(error.message).toContain('larger than 1024 KB');
  });

  it('gives up on a server that never answers, at the time limit or when cancelled', async () => {
    const started = Date.now();
    expect((await failure(fetchTeamFile(at('/files/never'), { ca, timeoutMs: 300 }))).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    const controller = new AbortController();
    const pending = fetchTeamFile(at('/files/never'), { ca, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('CANCELLED');
  });

  it('trusts the server only through the CA it is given', async () => {
    const error = await failure(fetchTeamFile(at('/files/team.json')));
    expect(error.code).toBe('TLS');
  });
});
