/**
 * The user's SSH keys: which ones exist (a folder, the running agent), what each is, and which
 * server accepts which key, found out by a real publickey authentication rather than a list of
 * supported types (servers differ: bitbucket-dc-api.md §6). Warnings always carry their fix.
 */
import { z } from 'zod';
import { unknownHostKeySchema } from './clone';

export const sshKeyTypes = ['RSA', 'DSA', 'ECDSA', 'ED25519', 'ECDSA-SK', 'ED25519-SK'] as const;

export const keyWarningCodes = [
  'malformed', // the file could not be read as a key
  'dsa', // OpenSSH no longer offers DSA keys
  'rsa-short', // RSA under 2048 bits
  'permissions', // private key readable by group/others: ssh refuses to use it
  'not-in-agent', // an agent runs but does not hold this key
  'no-private-key', // a .pub without its private key (and not in the agent)
  'refused-by-server', // a server refused this key in a real attempt
  'not-uploaded', // the primary does not know this key
  'no-key-accepted', // a server accepted none of the keys
  'host-key-unknown', // a server's host key is not in known_hosts yet
  'server-unreachable', // a server's SSH port did not answer
  'type-not-allowed', // the primary's administrators do not allow this key type or length
] as const;

export const keyWarningSchema = z.object({
  code: z.enum(keyWarningCodes),
  /** What is wrong, in plain words. */
  message: z.string(),
  /** What to do about it. */
  fix: z.string(),
  /** The key concerned (its fingerprint, or its file when it has none). */
  key: z.string().optional(),
  /** The server concerned, by name. */
  server: z.string().optional(),
});

export const sshKeySchema = z.object({
  /** The fingerprint, or `file:<path>` for a file that could not be read as a key. */
  id: z.string(),
  /** The file name (id_ed25519) or, for a key only in the agent, its comment. */
  name: z.string(),
  privateKeyPath: z.string().optional(),
  publicKeyPath: z.string().optional(),
  type: z.enum(sshKeyTypes).optional(),
  bits: z.number().optional(),
  /** As `ssh-keygen -l -E sha256` prints it: SHA256:<base64>. */
  fingerprint: z.string().optional(),
  comment: z.string().optional(),
  /** `type base64 comment`, as it would be uploaded. */
  publicKey: z.string().optional(),
  /** 'unknown': no private key file to look at (a key only in the agent, or a lone .pub). */
  passphrase: z.enum(['none', 'protected', 'unknown']),
  inAgent: z.boolean(),
  /** The private key file's mode, e.g. "0600". */
  mode: z.string().optional(),
  /** Group or others may read the private key: ssh refuses to use it. */
  permissionsTooOpen: z.boolean(),
  /** Why the file is not usable as a key, when it is not. */
  problem: z.string().optional(),
  warnings: z.array(keyWarningSchema),
});

export const keyInventorySchema = z.object({
  folder: z.string(),
  agent: z.object({
    /** SSH_AUTH_SOCK is set and the agent answered. */
    running: z.boolean(),
    detail: z.string().optional(),
  }),
  keys: z.array(sshKeySchema),
  /** What a new key's comment defaults to: user@host, as ssh-keygen would write it. */
  defaultComment: z.string().optional(),
  /** Which keys the primary knows (asked only when `keys.list` is asked to); null per key: could not be asked. */
  uploaded: z.object({ primaryBaseUrl: z.string(), keys: z.record(z.string(), z.boolean().nullable()) }).optional(),
});

export const keyCheckOutcomes = [
  'accepted', // publickey authentication succeeded
  'refused', // Permission denied (publickey)
  'host-key-unknown',
  'host-key-changed',
  'unreachable',
  'key-unusable', // ssh could not load the key (permissions, passphrase without agent)
  'not-tried', // nothing to try with (see detail)
] as const;

export const keyCheckResultSchema = z.object({
  /** The key's id, as in the inventory. */
  key: z.string(),
  outcome: z.enum(keyCheckOutcomes),
  detail: z.string().optional(),
  ms: z.number(),
});

export const keyCheckServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['primary', 'mirror']),
  host: z.string(),
  port: z.number(),
  user: z.string(),
  results: z.array(keyCheckResultSchema),
  checkedAt: z.string(),
  /** How long trying every key on this server took. */
  durationMs: z.number(),
  /** When its host key is not in known_hosts: the keys it presents, to review and trust. */
  unknownHostKeys: z.array(unknownHostKeySchema).optional(),
});

/** One SSH server's host key: already trusted, or what it presents now. */
export const hostKeyStatusSchema = z.object({
  /** The SSH clone URL asked about. */
  url: z.string(),
  host: z.string(),
  port: z.number(),
  known: z.boolean(),
  /** When not known: what it presents (empty: it did not answer). */
  presented: z.array(unknownHostKeySchema),
});

export const keyCheckSchema = z.object({
  primaryBaseUrl: z.string(),
  repository: z.string().optional(),
  knownHostsFile: z.string(),
  inventory: keyInventorySchema,
  servers: z.array(keyCheckServerSchema),
  /** Per key: on the primary's key list (null: could not be asked, e.g. no credentials). */
  uploaded: z.record(z.string(), z.boolean().nullable()),
  /** The administrators' key rules, when this account may read them. */
  restrictions: z.array(z.object({ type: z.string(), allowed: z.boolean(), minKeyLength: z.number().optional() })).optional(),
  /** Every warning: the keys' own and what the servers showed. */
  warnings: z.array(keyWarningSchema),
  durationMs: z.number(),
});

export type SshKey = z.infer<typeof sshKeySchema>;
export type KeyWarning = z.infer<typeof keyWarningSchema>;
export type KeyInventory = z.infer<typeof keyInventorySchema>;
export type KeyCheckOutcome = (typeof keyCheckOutcomes)[number];
export type KeyCheckServer = z.infer<typeof keyCheckServerSchema>;
export type KeyCheck = z.infer<typeof keyCheckSchema>;
export type HostKeyStatus = z.infer<typeof hostKeyStatusSchema>;

export const generatedKeySchema = z.object({ privateKeyPath: z.string(), publicKeyPath: z.string(), type: z.enum(sshKeyTypes), bits: z.number(), fingerprint: z.string(), publicKey: z.string() });

export const keysMethods = {
  /** Without a type: one every checked server accepts (Ed25519, or ECDSA where Ed25519 was refused). */
  'keys.generate': {
    params: z
      .object({
        type: z.enum(['ed25519', 'ecdsa', 'rsa']).optional(),
        /** RSA 4096 (default) or 3072; ECDSA 521 (default), 384 or 256; Ed25519 has one size. */
        bits: z.union([z.literal(256), z.literal(384), z.literal(521), z.literal(3072), z.literal(4096)]).optional(),
        /** The key's label (default user@host), one line. */
        comment: z.string().max(200).optional(),
        /** Encrypts the private key; it stays in the helper's memory (never in a process's arguments or environment). One line. */
        passphrase: z.string().max(1024).optional(),
        /** Keep the passphrase in the OS keychain (never anywhere else). */
        rememberPassphrase: z.boolean().optional(),
        /** Load the key into the running ssh-agent. */
        addToAgent: z.boolean().optional(),
      })
      .strict(),
    result: generatedKeySchema.extend({ inAgent: z.boolean(), passphraseRemembered: z.boolean() }),
  },
  'keys.upload': {
    params: z.object({ primary: z.string().optional(), publicKey: z.string().min(1).max(20_000), label: z.string().max(255).optional() }).strict(),
    result: z.object({ id: z.number(), fingerprint: z.string(), primaryBaseUrl: z.string() }),
  },
  'keys.list': {
    params: z
      .object({
        /** Also ask the primary (the named one, or the only one connected) which of these keys it knows. */
        withUploads: z.boolean().optional(),
        primary: z.string().optional(),
      })
      .strict(),
    result: keyInventorySchema,
  },
  /** Whether these SSH servers' host keys are trusted, and what the others present. */
  'keys.hostKeys': {
    params: z
      .object({
        urls: z.array(z.string().min(1).max(2000)).min(1).max(8),
        /** The primary whose advertised fingerprint the keys are compared with. */
        primary: z.string().optional(),
      })
      .strict(),
    result: z.object({ knownHostsFile: z.string(), hosts: z.array(hostKeyStatusSchema) }),
  },
  'keys.check': {
    params: z
      .object({
        /** Any reference discovery takes; its mirrors are checked too. Without it, the primary alone. */
        repository: z.string().min(1).max(2000).optional(),
        primary: z.string().optional(),
      })
      .strict(),
    result: keyCheckSchema,
  },
};
