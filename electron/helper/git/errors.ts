/**
 * Git failures as data a caller can act on. Git runs with LC_ALL=C (see environment.ts), so its
 * messages are English and stable enough to classify; the patterns below are checked against
 * captured real output in test/fixtures/git-output/.
 *
 * A GitError never carries the full argv (clone and fetch arguments hold URLs) nor environment
 * values (they hold tokens): only the subcommand name and a redacted tail of stderr.
 */

export type GitErrorKind =
  | 'auth-failed'
  | 'permission-denied-publickey'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'repository-not-found'
  | 'connection-refused'
  | 'network'
  | 'protocol-not-allowed'
  /** checkCloneUrl refused the URL; git was never started. */
  | 'unsafe-url'
  | 'destination-exists'
  | 'not-a-repository'
  /** The server will not send an object asked for by its id (it speaks only protocol v0, or lacks it). */
  | 'object-refused'
  /** An argument failed validation before git was started. */
  | 'invalid-argument'
  /** The git binary is older than a feature needs (e.g. GIT_CONFIG_COUNT needs 2.31). */
  | 'git-too-old'
  | 'cancelled'
  | 'timeout'
  | 'git-missing'
  | 'unknown';

export interface GitErrorDetails {
  /** The git subcommand ('clone', 'fetch', ...), never its arguments. */
  command?: string;
  exitCode?: number | null;
  /** The last lines of stderr, already redacted. */
  stderrTail?: string;
  cause?: unknown;
}

export class GitError extends Error {
  readonly kind: GitErrorKind;
  readonly command?: string;
  readonly exitCode?: number | null;
  readonly stderrTail: string;

  constructor(kind: GitErrorKind, message: string, details: GitErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.name = 'GitError';
    this.kind = kind;
    this.command = details.command;
    this.exitCode = details.exitCode;
    this.stderrTail = details.stderrTail ?? '';
  }
}

export function isGitError(error: unknown, kind?: GitErrorKind): error is GitError {
  return error instanceof GitError && (kind === undefined || error.kind === kind);
}

// Order matters: the first match wins. A changed host key also prints "Host key verification
// failed", and a refused connection is also "unable to access", so the specific ones come first.
const patterns: [GitErrorKind, RegExp][] = [
  ['host-key-changed', /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/],
  ['host-key-unknown', /Host key verification failed|No \S+ host key is known for/],
  ['permission-denied-publickey', /Permission denied \(publickey/],
  ['protocol-not-allowed', /transport '[^']*' not allowed|protocol '[^']*' is not supported/],
  ['destination-exists', /destination path '.*' already exists and is not an empty directory/],
  ['not-a-repository', /not a git repository|can only be used inside a git repository/i],
  ['object-refused', /does not allow request for unadvertised object|upload-pack: not our ref/],
  ['auth-failed', /Authentication failed|could not read (Username|Password)|terminal prompts disabled|The requested URL returned error: 40[13]|HTTP Basic: Access denied|Invalid username or password/],
  ['repository-not-found', /repository '.*' not found|Repository not found|does not appear to be a git repository|The requested URL returned error: 404/i],
  // curl words a timed-out connect as "Failed to connect ... : Timed out": a network problem, not a refusal.
  ['network', /timed out/i],
  ['connection-refused', /Connection refused|Couldn't connect to server/],
  [
    'network',
    /Could not resolve (host|proxy)|unable to access|RPC failed|early EOF|the remote end hung up unexpectedly|unexpected disconnect|Connection reset|Network is unreachable|No route to host|SSL_|gnutls_handshake|TLS connection|Operation too slow|transfer closed|invalid index-pack output|Connection closed by/i,
  ],
];

/** The kind git's stderr points at; 'unknown' when nothing matches. */
export function classifyGitStderr(stderr: string): GitErrorKind {
  for (const [kind, pattern] of patterns) if (pattern.test(stderr)) return kind;
  return 'unknown';
}

/**
 * Removes secrets a line might hold: URL user info (`https://user:token@host`), Authorization
 * headers and bare Bearer tokens (GIT_TRACE_CURL output), and any of the given literal values
 * (the runner passes the values of the environment it added, e.g. an extraHeader).
 */
export function redactSecrets(text: string, literals: Iterable<string> = []): string {
  let out = text;
  for (const literal of literals) {
    // Short values ('0', 'true', 'C') are config flags, not secrets; replacing them would garble text.
    if (literal.length >= 8) out = out.split(literal).join('<redacted>');
  }
  return out
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi, '$1<redacted>@')
    .replace(/(Authorization:\s*)[^\r\n]*/gi, '$1<redacted>')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 <redacted>');
}

/** The last `maxLines` non-empty lines, progress carriage returns treated as line ends. */
export function stderrTail(stderr: string, maxLines = 20): string {
  const lines = stderr.split(/\r\n|\r|\n/).map((line) => line.trimEnd());
  return lines.filter((line) => line.length > 0).slice(-maxLines).join('\n');
}

/** The most telling line of a failure: git's last `fatal:`/`error:` line, else the last line. */
export function summaryLine(tail: string): string {
  const lines = tail.split('\n').filter(Boolean);
  const fatal = [...lines].reverse().find((line) => /^(fatal|error):/.test(line));
  return (fatal ?? lines.at(-1) ?? '').replace(/^(fatal|error):\s*/, '');
}

const kindMessages: Record<GitErrorKind, string> = {
  'auth-failed': 'the server did not accept the credentials',
  'permission-denied-publickey': 'the server accepted none of the SSH keys offered',
  'host-key-unknown': "the server's SSH host key is not known on this computer",
  'host-key-changed': "the server's SSH host key has changed since it was last trusted",
  'repository-not-found': 'the server has no repository at that address (or it is hidden from you)',
  'connection-refused': 'nothing accepted the connection at that address',
  network: 'the connection to the server failed',
  'protocol-not-allowed': 'that protocol is not allowed',
  'unsafe-url': 'that address is not allowed',
  'destination-exists': 'the destination already exists and is not empty',
  'not-a-repository': 'that folder is not a git repository',
  'object-refused': 'the server would not send an object by its id',
  'invalid-argument': 'an argument was not valid',
  'git-too-old': 'the installed git is too old',
  cancelled: 'it was cancelled',
  timeout: 'it took too long and was stopped',
  'git-missing': 'git is not installed or could not be started',
  unknown: 'git reported an error',
};

/** A readable one-line message: "git clone failed: <why> (<git's own words>)". */
export function describeFailure(kind: GitErrorKind, command: string | undefined, tail: string): string {
  const detail = summaryLine(tail);
  const what = command ? `git ${command}` : 'git';
  return `${what} failed: ${kindMessages[kind]}${detail ? ` (${detail})` : ''}`;
}
