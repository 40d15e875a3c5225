package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputation.Offence;
import io.weft.reputation.PeerReputations;
import io.weft.reputation.ReputationPolicy;
import io.weft.reputation.ReputationScore;
import io.weft.runtime.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What discovery does with {@link PeerReputations}: it dials good peers first and denied peers not
 * at all, and charges a peer that relays node infos failing verification. Only a failure no honest
 * relayer can cause counts: a bad signature or a malformed info (too many or too long addresses
 * included), which every node checks before it keeps, let alone relays, an info. Too old, from
 * the future or our own id do not count (clocks differ; infos age). One offence per answer at
 * most; at the policy's {@code maxRelayOffences} strikes the peer is denied (disconnected, not
 * dialled) for {@code relayDenyMs}, like a sync offence. Loop-owned.
 */
final class DiscoveryReputation {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryReputation.class);

  /** Reasons only a dishonest (or broken) relayer produces. */
  static final Set<Reason> FORGED = EnumSet.of(Reason.BAD_SIGNATURE, Reason.MALFORMED,
      Reason.TOO_MANY_ADDRESSES, Reason.ADDRESS_TOO_LONG);

  private final PeerReputations reputations;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final String self;

  DiscoveryReputation(PeerReputations reputations, DiscoveryTransport transport, Clock clock, PeerId self) {
    this.reputations = reputations;
    this.transport = transport;
    this.clock = clock;
    this.self = self.shortId();
  }

  /** Whether {@code peer} is denied now (counted as a reputation skip when it is). */
  boolean isDenied(PeerId peer, long nowMs) {
    boolean denied = reputations.isDenied(peer, nowMs);
    if (denied) {
      reputations.countSkip();
    }
    return denied;
  }

  /**
   * Best score first ({@link ReputationScore}: proven fast peers, then strangers, then slow or
   * dishonest ones), from one snapshot of {@code peers}' records; equal scores compare equal, so
   * a stable sort of a shuffled list keeps them in random order.
   */
  Comparator<KnownPeer> dialOrder(Collection<KnownPeer> peers) {
    Map<PeerId, PeerReputation> known = reputations.of(peers.stream().map(KnownPeer::peerId).toList());
    return Comparator.comparingDouble(p -> -ReputationScore.of(known.get(p.peerId())));
  }

  /**
   * Judges the reasons the infos relayed in one answer of {@code relayer} were refused for (null
   * for an accepted one); charges one relay offence when any is {@link #FORGED}.
   */
  void judgeRelayed(PeerId relayer, List<Reason> reasons) {
    Reason forged = reasons.stream().filter(r -> r != null && FORGED.contains(r)).findFirst().orElse(null);
    if (forged == null || relayer == null) {
      return;
    }
    ReputationPolicy policy = reputations.policy();
    long until = reputations.offence(relayer, Offence.RELAY, policy.maxRelayOffences(), policy.relayDenyMs(),
        clock.nowMillis());
    LOG.warn("[{}] peer {} relayed a node info that failed verification ({})", self, relayer.shortId(), forged);
    if (until > 0) {
      LOG.warn("[{}] denying peer {} for {} ms after {} relays of invalid node infos", self, relayer.shortId(),
          policy.relayDenyMs(), policy.maxRelayOffences());
      transport.deny(relayer, until, "relayed node infos that failed verification");
    }
  }
}
