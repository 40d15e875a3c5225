package io.weft.reputation;

/**
 * How reputation is used, fixed when a node's {@link PeerReputations} is made (from the node's
 * {@code reputation} options) and read by the loops that use it.
 *
 * @param maxPeers records kept at most
 * @param explorationRate the share of sync choices given to a peer whose throughput is unknown
 *     while proven peers are available (0..1)
 * @param maxRelayOffences relayed invalid node infos (counted once per answer) after which the
 *     relaying peer is denied, like a sync offence
 * @param relayDenyMs how long such a peer is denied
 */
public record ReputationPolicy(int maxPeers, double explorationRate, int maxRelayOffences, long relayDenyMs) {

  public static final int DEFAULT_MAX_PEERS = 10_000;
  public static final double DEFAULT_EXPLORATION_RATE = 0.1;
  public static final int DEFAULT_MAX_RELAY_OFFENCES = 3;
  public static final long DEFAULT_RELAY_DENY_MS = 10 * 60 * 1000;
  public static final ReputationPolicy DEFAULT = new ReputationPolicy(DEFAULT_MAX_PEERS, DEFAULT_EXPLORATION_RATE,
      DEFAULT_MAX_RELAY_OFFENCES, DEFAULT_RELAY_DENY_MS);

  public ReputationPolicy {
    if (maxPeers < 1) {
      throw new IllegalArgumentException("reputation.maxPeers must be >= 1, got " + maxPeers);
    }
    if (!(explorationRate >= 0 && explorationRate <= 1)) {
      throw new IllegalArgumentException("reputation.explorationRate must be within 0..1, got " + explorationRate);
    }
    if (maxRelayOffences < 1) {
      throw new IllegalArgumentException("reputation.maxRelayOffences must be >= 1, got " + maxRelayOffences);
    }
    if (relayDenyMs < 1) {
      throw new IllegalArgumentException("reputation.relayDenyMs must be positive, got " + relayDenyMs);
    }
  }
}
