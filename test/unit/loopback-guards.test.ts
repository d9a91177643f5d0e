/**
 * The pieces every loopback server of the helper relies on: reading a request target without
 * throwing, the names the server answers to, and checking the local mirrors' secret.
 */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { addressedToUs, loopbackOrigins, parseRequestTarget } from '../../electron/helper/net/loopback-server';
import { presentsSecret, serveCredentialConfig, serveCredentialHelper } from '../../electron/helper/cache/serve-access';

describe('parseRequestTarget', () => {
  it('reads origin-form targets into decoded segments and the raw query', () => {
    expect(parseRequestTarget('/')).toEqual({ segments: [], query: '' });
    expect(parseRequestTarget('/proj/repo.git/info/refs?service=git-upload-pack')).toEqual({ segments: ['proj', 'repo.git', 'info', 'refs'], query: 'service=git-upload-pack' });
    expect(parseRequestTarget('/my%20proj/r%C3%A9po.git')).toEqual({ segments: ['my proj', 'répo.git'], query: '' });
    expect(parseRequestTarget('/x?%ZZ')).toEqual({ segments: ['x'], query: '%ZZ' });
  });

  it('refuses, without throwing, what is not a plain path', () => {
    const refused = ['/%ZZ/x.git/info/refs', '/%FF/x.git', '/%E0%80', '/%', '//', '///x', '*', 'http://evil.example/', '', '/a//b', '/..', '/a/./b', '/%2e%2e/x', '/a%2fb', '/a%5cb', '/a%00b', '/a%0Ab', '/a b', '/é'];
    for (const target of refused) expect(parseRequestTarget(target), target).toBeUndefined();
    expect(parseRequestTarget(undefined)).toBeUndefined();
  });
});

describe('addressedToUs', () => {
  const request = (host: string[] | undefined) => ({ headersDistinct: host === undefined ? {} : { host } }) as unknown as IncomingMessage;

  it('answers to 127.0.0.1:PORT and localhost:PORT of its own port, given once', () => {
    expect(addressedToUs(request(['127.0.0.1:8080']), 8080)).toBe(true);
    expect(addressedToUs(request(['LOCALHOST:8080']), 8080)).toBe(true);
    for (const host of [['127.0.0.1:8081'], ['127.0.0.1'], ['rebind.example:8080'], ['[::1]:8080'], ['127.0.0.1:8080', '127.0.0.1:8080']]) {
      expect(addressedToUs(request(host), 8080), host.join(' ')).toBe(false);
    }
    expect(addressedToUs(request(undefined), 8080)).toBe(false);
    expect(loopbackOrigins(8080)).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
  });
});

describe('the local mirrors secret', () => {
  const secret = 'Q'.repeat(43);
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('is accepted in HTTP Basic with any user name, and nothing else is', () => {
    expect(presentsSecret(basic(`mirror-clone:${secret}`), secret)).toBe(true);
    expect(presentsSecret(basic(`:${secret}`), secret)).toBe(true);
    expect(presentsSecret(`basic ${Buffer.from(`x:${secret}`).toString('base64')}`, secret)).toBe(true);
    for (const header of [undefined, '', basic(secret), basic(`mirror-clone:${secret}x`), basic('mirror-clone:'), `Bearer ${secret}`, 'Basic !!!', `Basic ${'A'.repeat(5_000)}`]) {
      expect(presentsSecret(header, secret), String(header).slice(0, 40)).toBe(false);
    }
  });

  it('reaches git through our helper for that one origin, after clearing the user’s own helpers', () => {
    const helper = serveCredentialHelper("!'/usr/bin/node' '/opt/cli.js' credential", "/home/a b/it's");
    expect(helper).toBe(`!MIRROR_CLONE_HOME='/home/a b/it'\\''s' '/usr/bin/node' '/opt/cli.js' credential`);
    expect(serveCredentialConfig(4242, helper)).toEqual([
      ['credential.http://127.0.0.1:4242.helper', ''],
      ['credential.http://127.0.0.1:4242.helper', helper],
    ]);
  });
});
