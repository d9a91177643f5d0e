/**
 * The environment every git process gets (DESIGN.md, git rules).
 *
 * Kept from the user's environment: PATH, HOME, SSH_AUTH_SOCK, proxies, their git config (corporate
 * CA bundles and proxies live there). Forced, and not overridable by a caller:
 *   GIT_TERMINAL_PROMPT=0        git never asks on a terminal; a missing credential is an error.
 *   GIT_ALLOW_PROTOCOL           only https, http and ssh transports, even for submodules or a
 *                                remote someone edited in .git/config (`ext::`, `file://` refused).
 *   GCM_INTERACTIVE=never        Git Credential Manager must not pop up a window.
 *   LC_ALL=C, LANGUAGE=          English messages, so errors.ts can classify them.
 * Defaulted, a caller may override with a non-prompting program of ours:
 *   GIT_ASKPASS=''               an empty (not missing) GIT_ASKPASS makes git skip core.askPass and
 *                                SSH_ASKPASS too, so a GUI askpass from the user's config never runs.
 *   SSH_ASKPASS                  removed, so ssh cannot pop up a passphrase dialog either. The runner
 *                                also starts git in a new session, without a controlling terminal,
 *                                so ssh cannot prompt on /dev/tty.
 * Removed: variables that would point git at another repository (set when the helper is started
 * from inside a git hook, for example) and inherited one-off config, so only what a caller passes
 * through configEnv() applies.
 */

const forced: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ALLOW_PROTOCOL: 'https:http:ssh',
  GCM_INTERACTIVE: 'never',
  LC_ALL: 'C',
  LANGUAGE: '',
};

const defaults: Readonly<Record<string, string>> = {
  GIT_ASKPASS: '',
};

const removed = new Set([
  'SSH_ASKPASS',
  'SSH_ASKPASS_REQUIRE',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_GRAFT_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_QUARANTINE_PATH',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  // Keeps git's own redaction of Authorization headers in GIT_TRACE_CURL output switched on.
  'GIT_TRACE_REDACT',
]);
const removedPattern = /^GIT_CONFIG_(KEY|VALUE)_\d+$/;

/** The names a caller cannot override; exported for tests. */
export const forcedGitEnvironment = forced;

/**
 * The environment for one git process: `base` (default process.env) cleaned as described above,
 * then `extra` (the caller's additions, e.g. from configEnv), then the forced values.
 */
export function safeGitEnv(extra: Readonly<Record<string, string>> = {}, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || removed.has(name) || removedPattern.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...defaults, ...extra, ...forced };
}

/**
 * One-off git configuration for one process, through GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n /
 * GIT_CONFIG_VALUE_n (git 2.31+). This is how credentials such as
 * `http.https://host/.extraHeader = Authorization: Bearer ...` reach git: not in argv (visible in
 * `ps`), not in a URL (git may print it), not in .git/config (it would stay on disk).
 * Entries are applied in order, so an empty value first resets a multi-valued key
 * (e.g. ['credential.helper', ''] then ours).
 */
export function configEnv(entries: readonly (readonly [key: string, value: string])[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    if (typeof key !== 'string' || !/^[A-Za-z][A-Za-z0-9-]*(\..*)?\.[A-Za-z][A-Za-z0-9-]*$/s.test(key) || /[\n\0]/.test(key)) {
      throw new TypeError(`configEnv: ${JSON.stringify(key)} is not a git config key`);
    }
    if (typeof value !== 'string' || value.includes('\0')) throw new TypeError(`configEnv: the value for ${key} must be a string without NUL`);
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** The [key, value] pairs of a configEnv() record (or any environment carrying GIT_CONFIG_COUNT). */
export function configEntriesOf(env: Readonly<Record<string, string | undefined>>): [string, string][] {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  const entries: [string, string][] = [];
  for (let index = 0; Number.isInteger(count) && index < count; index++) {
    const key = env[`GIT_CONFIG_KEY_${index}`];
    if (key !== undefined) entries.push([key, env[`GIT_CONFIG_VALUE_${index}`] ?? '']);
  }
  return entries;
}

/**
 * The `http.<url>.extraHeader` entry for a Bearer token, scoped to the URL's origin: git applies it
 * only to remotes on that origin. (Across a redirect to another host, curl drops Authorization
 * headers it was given, and git follows redirects only on its first request.)
 */
export function bearerHeaderConfig(url: string, token: string): [string, string] {
  if (!token || /[\r\n]/.test(token)) throw new TypeError('bearerHeaderConfig: the token must be a non-empty single line');
  return [`http.${new URL(url).origin}/.extraHeader`, `Authorization: Bearer ${token}`];
}
