import { describe, expect, it } from 'vitest';
import { maxAppLinkLength, parseAppLink } from '../../shared/app-link';

const link = (action: string, url: string) => `mirror-clone://${action}?url=${encodeURIComponent(url)}`;

describe('mirror-clone:// links', () => {
  it.each([
    ['a clone URL', 'https://bitbucket.example.com/scm/proj/repo.git'],
    ['a page URL', 'https://bitbucket.example.com/projects/PROJ/repos/repo/browse'],
    ['an ssh URL', 'ssh://git@bitbucket.example.com:7999/proj/repo.git'],
    ['a plain-http URL of an internal server', 'http://bitbucket.internal:7990/scm/proj/repo.git'],
  ])('opens the clone panel for %s', (_name, url) => {
    expect(parseAppLink(link('clone', url))).toEqual({ ok: true, link: { action: 'clone', url } });
  });

  it('never carries a password from the link into the clone panel', () => {
    const parsed = parseAppLink(link('clone', 'https://me:s3cret@bitbucket.example.com/scm/proj/repo.git'));
    expect(parsed.ok ? parsed.link.url : parsed.reason).not.toContain('s3cret');
  });

  it('opens a team file over https only', () => {
    expect(parseAppLink(link('team', 'https://wiki.example.com/files/team.json'))).toEqual({ ok: true, link: { action: 'team', url: 'https://wiki.example.com/files/team.json' } });
    expect(parseAppLink(link('team', 'http://wiki.example.com/team.json'))).toMatchObject({ ok: false, reason: expect.stringContaining('only over https') });
    expect(parseAppLink(link('team', 'file:///etc/passwd'))).toMatchObject({ ok: false, reason: expect.stringContaining('only over https') });
    expect(parseAppLink(link('team', 'https://me:secret@wiki.example.com/team.json'))).toMatchObject({ ok: false, reason: expect.stringContaining('user name or password') });
  });

  it.each([
    ['a git command', link('clone', "ext::sh -c touch% /tmp/pwned"), /refused/],
    ['a local path', link('clone', 'file:///home/me/secret.git'), /refused/],
    ['a bare path', link('clone', '/home/me/secret.git'), /refused/],
    ['an option disguised as an ssh host', link('clone', 'ssh://-oProxyCommand=touch%20x/repo.git'), /refused/],
    ['an scp-like option', link('clone', '-oProxyCommand=calc:repo.git'), /refused/],
    ['a script', link('clone', 'javascript:alert(1)'), /refused/],
    ['an address that names no repository', link('clone', 'https://bitbucket.example.com/dashboard'), /refused/],
    ['another action', link('exec', 'https://bitbucket.example.com/scm/proj/repo.git'), /"clone" or "team"/],
    ['a second parameter', `${link('clone', 'https://bitbucket.example.com/scm/proj/repo.git')}&branch=main`, /exactly one url/],
    ['two urls', `${link('clone', 'https://a.example.com/scm/p/r.git')}&url=${encodeURIComponent('ext::sh')}`, /exactly one url/],
    ['no url', 'mirror-clone://clone', /exactly one url/],
    ['an empty url', 'mirror-clone://clone?url=', /names no address/],
    ['a path', 'mirror-clone://clone/extra?url=https%3A%2F%2Fa.example.com%2Fscm%2Fp%2Fr.git', /path/],
    ['another scheme', 'https://bitbucket.example.com/scm/proj/repo.git', /not a mirror-clone link/],
    ['a javascript: link', 'javascript:alert(document.cookie)', /not a mirror-clone link/],
    ['a control character', `mirror-clone://clone?url=https://a.example.com/scm/p/r.git\n`, /control characters/],
    ['malformed', 'mirror-clone://%zz?url=', /not a valid link|"clone" or "team"/],
    ['a very long link', link('clone', `https://a.example.com/scm/p/${'r'.repeat(maxAppLinkLength)}.git`), /longer than/],
  ])('refuses %s, saying why', (_name, raw, reason) => {
    const parsed = parseAppLink(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});
