import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseSshG, routeOptions, sshRoute } from '../../electron/helper/keys/ssh-route';

const endpoint = { host: 'bitbucket.example.com', port: 7999, user: 'git' };
const settings = (text: string) => parseSshG(text);

describe('the route the user\'s ssh configuration gives', () => {
  it('is direct when nothing is configured', () => {
    expect(routeOptions(endpoint, settings('hostname bitbucket.example.com\nport 7999\nproxycommand none\n'))).toEqual([]);
  });

  it('follows an alias to its real host name', () => {
    expect(routeOptions(endpoint, settings('hostname 10.1.2.3\n'))).toEqual(['-o', 'HostName=10.1.2.3']);
  });

  it('reaches a jump host with ssh and the user\'s own configuration, through earlier hops', () => {
    expect(routeOptions(endpoint, settings('proxyjump ops@gate.example.com:2222\n'))).toEqual(['-o', "ProxyCommand=ssh -o BatchMode=yes -W '[%h]:%p' 'ops@gate.example.com:2222'"]);
    expect(routeOptions(endpoint, settings('proxyjump outer,inner\n'), '/home/ana/.ssh/config')).toEqual([
      '-o',
      "ProxyCommand=ssh -F '/home/ana/.ssh/config' -o BatchMode=yes -J 'outer' -W '[%h]:%p' 'inner'",
    ]);
  });

  it('keeps a hop with a quote in its name one shell word', () => {
    const [, command] = routeOptions(endpoint, settings("proxyjump it's;rm -rf ~\n"));
    expect(command).toBe("ProxyCommand=ssh -o BatchMode=yes -W '[%h]:%p' 'it'\\''s;rm -rf ~'");
  });

  it('uses a proxy command as configured, before a jump host', () => {
    expect(routeOptions(endpoint, settings('proxycommand nc -X connect -x proxy:3128 %h %p\nproxyjump gate\n'))).toEqual(['-o', 'ProxyCommand=nc -X connect -x proxy:3128 %h %p']);
  });

  it('takes the first value of a key ssh printed twice', () => {
    expect(parseSshG('identityfile ~/.ssh/id_a\nidentityfile ~/.ssh/id_b\n').get('identityfile')).toBe('~/.ssh/id_a');
  });

  it('reads the route from a real ssh configuration, and goes direct when that configuration is broken', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ssh-route-'));
    try {
      const config = path.join(dir, 'config');
      await writeFile(config, 'Host bitbucket.example.com\n  HostName 10.1.2.3\n  ProxyJump gate\n');
      expect(await sshRoute(endpoint, { configFile: config })).toEqual(['-o', 'HostName=10.1.2.3', '-o', `ProxyCommand=ssh -F '${config}' -o BatchMode=yes -W '[%h]:%p' 'gate'`]);
      await writeFile(config, 'Host bitbucket.example.com\n  ProxyJump\n  NoSuchOption yes\n');
      expect(await sshRoute(endpoint, { configFile: config })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
