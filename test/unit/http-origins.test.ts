import { describe, expect, it } from 'vitest';
import { httpOrigin, httpOrigins } from '../../electron/helper/net/http-origins';

describe('http origins', () => {
  it('keeps scheme, host and port, and nothing of the path or user', () => {
    expect(httpOrigin('https://dev@bb.example.com:8443/bitbucket/scm/p/r.git')).toBe('https://bb.example.com:8443');
    expect(httpOrigin('http://127.0.0.1:7990/scm/p/r.git')).toBe('http://127.0.0.1:7990');
  });

  it('has none for ssh, scp-like, file or garbage', () => {
    for (const url of ['ssh://git@h:7999/p/r.git', 'git@h:p/r.git', 'file:///etc', 'not a url', '']) expect(httpOrigin(url)).toBeUndefined();
  });

  it('lists each origin once, in order', () => {
    expect(httpOrigins(['https://a/x', 'ssh://git@b/y', 'https://a/z', 'http://c:81/'])).toEqual(['https://a', 'http://c:81']);
  });
});
