package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which known peers {@link DiscoveryLoop} dials, in what order, and the dials in flight.
 *
 * <p>A peer is dialable when it is known, not us, not connected, not pending, has an address, is
 * not held back by the {@link RedialBackoff}, is public or allow-listed and is not denied by
 * {@link DiscoveryReputation}. Eligible peers are shuffled, then stably sorted by
 * {@link #dialOrder}: holders of the commit sync needs next first while no connected or dialled
 * peer holds it, then by reputation. Allow-listed peers are always dialled; range dials reach
 * beyond the connection target. A dial that fails counts towards forgetting the peer
 * ({@link UnreachablePeers}). Single-threaded: every method runs on the loop.
 */
final class DialPlanner {

  /** Logs under the loop's name, as before this class was split out of it. */
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLoop.class);

  private final DiscoveryOptions options;
  private final PeerId self;
  private final DiscoveryState state;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final Random random;
  private final DiscoveryStats stats;
  private final RedialBackoff backoff;
  private final DiscoveryReputation reputation;
  private final UnreachablePeers unreachable;
  private final BooleanSupplier stopped;
  private final Runnable markDirty;
  private final Map<PeerId, String> allowlisted = new HashMap<>();
  private final Map<PeerId, Future<PeerId>> pendingDials = new HashMap<>();

  /**
   * @param stopped whether the loop stopped (then a failed dial forgets nothing)
   * @param markDirty called when known peers changed
   */
  DialPlanner(DiscoveryOptions options, PeerId self, DiscoveryState state, DiscoveryTransport transport,
      Clock clock, Random random, DiscoveryStats stats, RedialBackoff backoff, DiscoveryReputation reputation,
      UnreachablePeers unreachable, BooleanSupplier stopped, Runnable markDirty) {
    this.options = options;
    this.self = self;
    this.state = state;
    this.transport = transport;
    this.clock = clock;
    this.random = random;
    this.stats = stats;
    this.backoff = backoff;
    this.reputation = reputation;
    this.unreachable = unreachable;
    this.stopped = stopped;
    this.markDirty = markDirty;
    options.getAllowlistedPeers().forEach(p -> allowlisted.put(p.peerId(), p.address()));
  }

  boolean isAllowlisted(PeerId id) {
    return allowlisted.containsKey(id);
  }

  Set<PeerId> allowlistedIds() {
    return allowlisted.keySet();
  }

  int pendingCount() {
    return pendingDials.size();
  }

  boolean isPending(PeerId id) {
    return pendingDials.containsKey(id);
  }

  /** Tracks a dial made elsewhere (a seed's, by id) as pending until it completes. */
  void trackPending(PeerId id, Future<PeerId> dial) {
    pendingDials.put(id, dial);
  }

  void untrackPending(PeerId id, Future<PeerId> dial) {
    pendingDials.remove(id, dial);
  }

  /** Dials eligible peers (not allow-listed ones) in {@link #dialOrder}, up to the connection target. */
  void dialEligible(Set<PeerId> connected, long now) {
    int room = options.getTargetConcurrentConnections() - connected.size() - pendingDials.size();
    if (room <= 0) {
      return;
    }
    List<KnownPeer> eligible = new ArrayList<>();
    for (KnownPeer peer : state.snapshot()) {
      if (!allowlisted.containsKey(peer.peerId()) && isDialable(peer, connected, now)) {
        eligible.add(peer);
      }
    }
    Collections.shuffle(eligible, random);
    eligible.sort(dialOrder(eligible, connected));
    eligible.stream().limit(room).forEach(this::dial);
  }

  /**
   * Dials back a caller whose connect-back info we keep, when it is dialable and there is room
   * under the connection target (always for an allow-listed caller).
   */
  void dialBack(PeerId caller) {
    long now = clock.nowMillis();
    KnownPeer peer = state.get(caller).orElse(null);
    Set<PeerId> connected = transport.connectedPeers();
    boolean room = connected.size() + pendingDials.size() < options.getTargetConcurrentConnections()
        || allowlisted.containsKey(caller);
    if (peer != null && room && isDialable(peer, connected, now)) {
      dial(peer);
    }
  }

  /**
   * When no connected or dialled peer (other than {@code failing}) says it serves {@code index}, dials up to
   * {@code maxRangeDials} eligible peers whose signed range covers it, beyond the connection
   * target: a node that must fetch old commits reaches the few peers that kept them without
   * connecting to everyone.
   */
  void dialForRange(long index, Set<PeerId> connected, long now, Set<PeerId> failing) {
    if (index < 0 || options.getMaxRangeDials() == 0) {
      return;
    }
    if (reachedServes(index, connected, failing)) {
      return;
    }
    List<KnownPeer> covering = new ArrayList<>();
    for (KnownPeer peer : state.snapshot()) {
      if (peer.serves(index) && !failing.contains(peer.peerId()) && isDialable(peer, connected, now)) {
        covering.add(peer);
      }
    }
    Collections.shuffle(covering, random);
    covering.sort(reputation.dialOrder(covering));
    covering.stream().limit(options.getMaxRangeDials()).forEach(peer -> {
      stats.rangeDials.incrementAndGet();
      LOG.info("[{}] dialling {}: it serves commits {} and we need {}", self.shortId(), peer.peerId().shortId(),
          peer.dataRange(), index);
      dial(peer);
    });
  }

  /** Dials the allow-listed peers we are neither connected to nor dialling, unless backed off. */
  void dialAllowlisted(Set<PeerId> connected, long now) {
    allowlisted.forEach((id, address) -> {
      if (!id.equals(self) && !connected.contains(id) && !pendingDials.containsKey(id)
          && backoff.mayDial(id, now)) {
        dial(id, address);
      }
    });
  }

  /**
   * The order in which eligible peers are dialled (a stable sort of a shuffled list, so equals stay
   * in random order): when no connected or dialled peer holds the commit sync needs next, peers
   * holding it first (only then: if every node preferred the first holders, everyone would dial
   * the producers); then by reputation.
   */
  private Comparator<KnownPeer> dialOrder(List<KnownPeer> eligible, Set<PeerId> connected) {
    long needed = transport.neededCommit();
    Comparator<KnownPeer> byReputation = reputation.dialOrder(eligible);
    if (needed < 0 || reachedServes(needed, connected, Set.of())) {
      return byReputation;
    }
    return Comparator.comparing((KnownPeer peer) -> !peer.serves(needed)).thenComparing(byReputation);
  }

  /** Whether a connected or dialled peer other than {@code failing} says it serves commit {@code index}. */
  private boolean reachedServes(long index, Set<PeerId> connected, Set<PeerId> failing) {
    return servesAny(connected, index, failing) || servesAny(pendingDials.keySet(), index, failing);
  }

  private boolean servesAny(Set<PeerId> peers, long index, Set<PeerId> failing) {
    for (PeerId id : peers) {
      if (!failing.contains(id) && state.get(id).map(p -> p.serves(index)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private boolean isDialable(KnownPeer peer, Set<PeerId> connected, long now) {
    PeerId id = peer.peerId();
    return !id.equals(self) && !connected.contains(id) && !pendingDials.containsKey(id)
        && !peer.addresses().isEmpty() && backoff.mayDial(id, now)
        && (!peer.privateAccess() || allowlisted.containsKey(id)) && !reputation.isDenied(id, now);
  }

  private void dial(KnownPeer peer) {
    dial(peer.peerId(), pickAddress(peer.addresses()));
  }

  private void dial(PeerId peer, String address) {
    stats.dials.incrementAndGet();
    Future<PeerId> dial = transport.dial(address, peer);
    pendingDials.put(peer, dial);
    dial.onComplete(ar -> {
      pendingDials.remove(peer, dial);
      if (ar.succeeded()) {
        backoff.succeeded(peer);
      } else {
        stats.dialFailures.incrementAndGet();
        forgetIfUnreachable(peer, ar.cause());
        long delay = backoff.failed(peer, clock.nowMillis());
        LOG.debug("[{}] dial {} at {} failed ({}); next try in {} ms", self.shortId(), peer.shortId(), address,
            ar.cause().getMessage(), delay);
      }
    });
  }

  /** Our dial to {@code peer} failed: forget it after enough unreachable dials ({@link UnreachablePeers}). */
  private void forgetIfUnreachable(PeerId peer, Throwable cause) {
    if (!stopped.getAsBoolean() && !allowlisted.containsKey(peer)
        && unreachable.dialFailed(peer, cause, !transport.connectedPeers().isEmpty(), state, clock.nowMillis())) {
      stats.peersForgotten.incrementAndGet();
      markDirty.run();
      LOG.debug("[{}] forgot {}: unreachable on {} dials in a row", self.shortId(), peer.shortId(),
          options.getDropAfterFailedDials());
    }
  }

  private String pickAddress(List<String> addresses) {
    return addresses.get(random.nextInt(addresses.size()));
  }
}
