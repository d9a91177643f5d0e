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

  describe('ssh users and hosts hold nothing a shell would act on', () => {
    it.each([
      'ssh://git@host;id/x.git',
      'ssh://git@host&id/x.git',
      'ssh://git@$(id)/x.git',
      'ssh://git@${IFS}id/x.git',
      'ssh://git@a{b,c}/x.git',
      'ssh://git@a*b/x.git',
      'ssh://git@a!b/x.git',
      'ssh://git@host%3Bid/x.git', // git decodes ssh URLs: this is host;id
      'ssh://git@host%7cid/x.git', // host|id
      'ssh://git@host%0aid/x.git', // a newline, encoded
      'ssh://git@host%ZZ/x.git',
      'ssh://g;id@host/x.git',
      'ssh://g$(id)@host/x.git',
      'ssh://g%60id%60@host/x.git', // `id`, encoded
      'ssh://git@host|id/x.git',
      'ssh://git@host`id`/x.git',
      'ssh://git@host\nid/x.git',
      'ssh://git@host\tid/x.git',
      'git@$(id):x.git',
      'git@`id`:x.git',
      'git@host;id:x.git',
      'git@host|id:x.git',
      'git@host&id:x.git',
      'git@host>out:x.git',
      'git@host<in:x.git',
      'git@host\nid:x.git',
      'git@[::1;id]:x.git',
      'git@[ext::id]:x.git', // brackets are no way around the remote-helper rule
      'ssh://git@[ext::id]/x.git',
      'g;id@host:x.git',
      'g$(id)@host:x.git',
      'g|id@host:x.git',
    ])('refuses %s', (input) => {
      const checked = checkCloneUrl(input);
      expect(checked.ok).toBe(false);
      expect(!checked.ok && checked.reason).toMatch(/ssh (host|user name) has characters|spaces, quotes or control characters|not a valid address|remote helper/);
    });

    it.each([
      ['ssh://git@[::1]:7999/proj/repo.git', '[::1]'],
      ['ssh://git@[2001:db8::7]/proj/repo.git', '[2001:db8::7]'],
      ['ssh://git@[::ffff:192.0.2.1]:22/proj/repo.git', '[::ffff:c000:201]'],
      ['ssh://git@mirror-eu.build.example.com:7999/proj/repo.git', 'mirror-eu.build.example.com'],
      ['ssh://git@127.0.0.1:2222/proj/repo.git', '127.0.0.1'],
      ['ssh://jane.doe+ci@git_host.internal/proj/repo.git', 'git_host.internal'],
      ['ssh://mirror.example.com/proj/repo.git', 'mirror.example.com'],
      ['git@bitbucket.example.com:proj/repo.git', 'bitbucket.example.com'],
      ['git@[::1]:proj/repo.git', '[::1]'],
      ['build-bot@mirror-2.example.net:~user/repo.git', 'mirror-2.example.net'],
    ])('still accepts %s', (input, hostname) => {
      expect(checkCloneUrl(input)).toMatchObject({ ok: true, protocol: 'ssh', hostname });
    });
  });
});
