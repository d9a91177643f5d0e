import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createWindowOptions, decideNavigation } from '../../electron/main/window-policy';

describe('the app window', () => {
  it('isolates and sandboxes the renderer with no Node access', () => {
    const prefs = createWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict Content-Security-Policy', () => {
    const directives = new Map(contentSecurityPolicy.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ');
      return [name, values] as const;
    }));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-(inline|eval)/);
    // The only network the page may reach besides itself is a helper on loopback.
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*']);
  });

  it.each([
    ['https://bitbucket.example.com/projects/A', 'open-external'],
    ['http://bitbucket.example.com/', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['https://user:secret@example.com/', 'deny'],
    ['ms-settings:network', 'deny'],
    ['not a url', 'deny'],
  ])('navigation to %s: %s', (url, decision) => {
    expect(decideNavigation(url)).toBe(decision);
  });
});
