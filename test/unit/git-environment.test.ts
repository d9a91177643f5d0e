import { describe, expect, it } from 'vitest';
import { bearerHeaderConfig, configEntriesOf, configEnv, forcedGitEnvironment, safeGitEnv } from '../../electron/helper/git/environment';

const userEnv = {
  PATH: '/usr/local/bin:/usr/bin',
  HOME: '/home/dev',
  SSH_AUTH_SOCK: '/run/user/1000/agent.sock',
  HTTPS_PROXY: 'http://proxy:3128',
  LANG: 'de_DE.UTF-8',
  GIT_TERMINAL_PROMPT: '1',
  GIT_ALLOW_PROTOCOL: 'ext:file',
  GIT_ASKPASS: '/usr/lib/ssh/x11-ssh-askpass',
  SSH_ASKPASS: '/usr/lib/ssh/x11-ssh-askpass',
  SSH_ASKPASS_REQUIRE: 'force',
  GIT_DIR: '/elsewhere/.git',
  GIT_WORK_TREE: '/elsewhere',
  GIT_CONFIG_PARAMETERS: "'core.sshcommand'='evil'",
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.sshCommand',
  GIT_CONFIG_VALUE_0: 'evil',
};

describe('safeGitEnv', () => {
  it('keeps the user environment but forces the safety settings', () => {
    const env = safeGitEnv({}, userEnv);
    expect(env).toMatchObject({
      PATH: userEnv.PATH,
      HOME: userEnv.HOME,
      SSH_AUTH_SOCK: userEnv.SSH_AUTH_SOCK,
      HTTPS_PROXY: userEnv.HTTPS_PROXY,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ALLOW_PROTOCOL: 'https:http:ssh',
      GCM_INTERACTIVE: 'never',
      LC_ALL: 'C',
      LANGUAGE: '',
      // Empty, not missing: git then skips core.askPass and SSH_ASKPASS as well.
      GIT_ASKPASS: '',
    });
  });

  it('drops askpass programs, repository pointers and inherited one-off config', () => {
    const env = safeGitEnv({}, userEnv);
    for (const name of ['SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0']) {
      expect(env, name).not.toHaveProperty(name);
    }
  });

  it('lets a caller add variables and its own askpass, but not loosen a forced one', () => {
    const env = safeGitEnv({ GIT_ASKPASS: '/opt/ours/askpass', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes', GIT_TERMINAL_PROMPT: '1', GIT_ALLOW_PROTOCOL: 'file' }, userEnv);
    expect(env.GIT_ASKPASS).toBe('/opt/ours/askpass');
    expect(env.GIT_SSH_COMMAND).toBe('ssh -o BatchMode=yes');
    expect(env.GIT_TERMINAL_PROMPT).toBe(forcedGitEnvironment.GIT_TERMINAL_PROMPT);
    expect(env.GIT_ALLOW_PROTOCOL).toBe('https:http:ssh');
  });
});

describe('configEnv', () => {
  it('numbers the entries in order', () => {
    const env = configEnv([
      ['credential.helper', ''],
      ['http.https://bb.example.com/.extraHeader', 'Authorization: Bearer abc'],
    ]);
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://bb.example.com/.extraHeader',
      GIT_CONFIG_VALUE_1: 'Authorization: Bearer abc',
    });
    expect(configEntriesOf(env)).toEqual([
      ['credential.helper', ''],
      ['http.https://bb.example.com/.extraHeader', 'Authorization: Bearer abc'],
    ]);
  });

  it('refuses what is not a config key', () => {
    expect(() => configEnv([['nodot', 'x']])).toThrow(TypeError);
    expect(() => configEnv([['-c.x', 'x']])).toThrow(TypeError);
    expect(() => configEnv([['a.b\nc.d', 'x']])).toThrow(TypeError);
    expect(() => configEnv([['a.b', 'x\0y']])).toThrow(TypeError);
  });

  it('an empty list sets a zero count, which overrides anything inherited', () => {
    expect(configEnv([])).toEqual({ GIT_CONFIG_COUNT: '0' });
  });
});

describe('bearerHeaderConfig', () => {
  it('scopes the header to the origin of the URL', () => {
    expect(bearerHeaderConfig('http://127.0.0.1:7990/bitbucket/scm/p/r.git', 'tok-123')).toEqual(['http.http://127.0.0.1:7990/.extraHeader', 'Authorization: Bearer tok-123']);
    expect(() => bearerHeaderConfig('https://h/r.git', 'a\nb')).toThrow(TypeError);
  });
});
