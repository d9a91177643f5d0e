/**
 * How fast a server delivers bytes to this machine, on this network: the figure the choice of a
 * clone source rests on (expected time = set-up + size ÷ throughput + top-up). Round trip alone is
 * not closeness: a mirror 3 ms away on a thin office uplink loses to a farther one in a data
 * centre by minutes on a big clone.
 *
 * Figures come from real transfers: every clone, fetch, top-up and local-mirror sync records
 * what it got, and a short measurement transfer fills the gap when nothing is known yet. They are
 * kept per network (a server that is fast from the office is not fast from a hotel) and per
 * server origin (scheme, host and port: every repository on a server shares its link).
 */

/** Which server, seen from which network. */
export interface ThroughputKey {
  /** The network identity (network/network-identity.ts) the transfer ran on. */
  networkId: string;
  /** The server's origin, e.g. https://mirror.example.com:8443 (any URL of it is accepted). */
  origin: string;
}

/** One transfer's figures: the payload bytes and the time they took to arrive (first byte to last). */
export interface ThroughputSample {
  bytes: number;
  durationMs: number;
  /**
   * A transfer made to measure (a short measurement of a server): kept whatever its size, since it
   * was sized for that. Without it, a transfer too small or too quick to say anything is ignored.
   */
  deliberate?: boolean;
}

export interface ThroughputEstimate {
  bytesPerSecond: number;
  /** How many transfers the figure rests on. */
  samples: number;
  /** Epoch milliseconds of the newest sample. */
  updatedAt: number;
}

export interface ThroughputMemory {
  /** Folds one transfer into the server's figure; transfers too small to say anything are ignored. */
  record(key: ThroughputKey, sample: ThroughputSample): Promise<void>;
  /** The server's figure on that network, if one is known and not too old. */
  estimate(key: ThroughputKey): Promise<ThroughputEstimate | undefined>;
}
