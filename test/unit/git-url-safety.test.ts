import { describe, expect, it } from 'vitest';
import { checkCloneUrl } from '../../shared/git-url-safety';

describe('checkCloneUrl', () => {
  it.each([
    ['https://bitbucket.example.com/scm/proj/repo.git', 'https://bitbucket.example.com/scm/proj/repo.git', 'http', false],
    ['https://admin@bitbucket.example.com/bitbucket/scm/proj/repo.git', 'https://bitbucket.example.com/bitbucket/scm/proj/repo.git', 'http', false],
    ['http://127.0.0.1:7990/scm/proj/repo.git', 'http://127.0.0.1:7990/scm/proj/repo.git', 'http', true],
    ['ssh://git@mirror.example.com:7999/proj/repo.git', 'ssh://git@mirror.example.com:7999/proj/repo.git', 'ssh', false],
    ['git@mirror.example.com:proj/repo.git', 'git@mirror.example.com:proj/repo.git', 'ssh', false],
    ['https://host/scm/~alice/repo.git', 'https://host/scm/~alice/repo.git', 'http', false],
  ])('accepts %s', (input, url, protocol, insecure) => {
    expect(checkCloneUrl(input)).toMatchObject({ ok: true, url, protocol, insecure });
  });

  it('strips a password from an http link too', () => {
    const checked = checkCloneUrl('https://user:secret@host/scm/p/r.git');
    expect(checked.ok && checked.url).toBe('https://host/scm/p/r.git');
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', 'remote helper'],
    ['ext::sh', 'remote helper'],
    ['file:///etc/passwd', 'file:// protocol'],
    ['/srv/git/repo.git', 'not an https'],
    ['./repo.git', 'not an https'],
    ['ssh://-oProxyCommand=touch%20x/repo.git', 'host starts with "-"'],
    ['-oProxyCommand=calc:repo.git', 'not an https'],
    ['git@-oProxyCommand=calc:repo.git', 'host starts with "-"'],
    ['-o@host:repo.git', 'user name starts with "-"'],
    ['git@host:-upload-pack=x', 'path starts with "-"'],
    ['https://host/-x/repo.git', 'path starts with "-"'],
    ['https://host/scm/../../etc/repo.git', '".."'],
    ['https://host/scm/p/r.git\nprotocol=https', 'control characters'],
    ['ftp://host/repo.git', 'ftp:// protocol'],
    ['javascript:alert(1)', 'not an https'],
    ['fd::17', 'remote helper'],
    ['', 'empty'],
  ])('refuses %s', (input, reason) => {
    const checked = checkCloneUrl(input);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toContain(reason);
  });
});
