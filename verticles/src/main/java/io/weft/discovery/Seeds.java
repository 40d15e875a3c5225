package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.runtime.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap seeds of {@link DiscoveryLoop}: dialling them (also those given by address only,
 * whose ids we learn on the first connection), and with {@code shedSeeds} leaving them once we
 * hold the connection target with other peers, but for the {@code seedsKept} we keep. A seed dial
 * by id counts as pending in the {@link DialPlanner}. Single-threaded: every method runs on the loop.
 */
final class Seeds {

  /** Logs under the loop's name, as before this class was split out of it. */
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLoop.class);

  private final DiscoveryOptions options;
  private final PeerId self;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final DiscoveryStats stats;
  private final RedialBackoff backoff;
  private final DiscoveryReputation reputation;
  private final DialPlanner dials;
  /** Ids learnt from seeds given by address only, so later seed dials short-circuit. */
  private final Map<String, PeerId> seedIds = new HashMap<>();
  private int pendingSeedDials;

  Seeds(DiscoveryOptions options, PeerId self, DiscoveryTransport transport, Clock clock, DiscoveryStats stats,
      RedialBackoff backoff, DiscoveryReputation reputation, DialPlanner dials) {
    this.options = options;
    this.self = self;
    this.transport = transport;
    this.clock = clock;
    this.stats = stats;
    this.backoff = backoff;
    this.reputation = reputation;
    this.dials = dials;
  }

  /** Whether a seed dial is in flight. */
  boolean isDialling() {
    return pendingSeedDials > 0;
  }

  /** The seeds' ids: given, or learnt when we first connected to a seed given by address. */
  Set<PeerId> peerIds() {
    Set<PeerId> ids = new LinkedHashSet<>();
    for (DiscoveryOptions.Seed seed : options.getSeeds()) {
      PeerId id = idOf(seed);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** A seed's id: given, or learnt on the first connection to it; null before that. */
  private PeerId idOf(DiscoveryOptions.Seed seed) {
    return seed.peerId() != null ? seed.peerId() : seedIds.get(seed.address());
  }

  /** Dials every seed that is not us, not connected, not pending, not backed off and not denied. */
  void dial(Set<PeerId> connected) {
    for (DiscoveryOptions.Seed seed : options.getSeeds()) {
      PeerId id = idOf(seed);
      if (self.equals(id) || (id != null && (connected.contains(id) || dials.isPending(id)
          || !backoff.mayDial(id, clock.nowMillis()) || reputation.isDenied(id, clock.nowMillis())))) {
        continue;
      }
      pendingSeedDials++;
      stats.dials.incrementAndGet();
      Future<PeerId> dial = transport.dial(seed.address(), id);
      if (id != null) {
        dials.trackPending(id, dial);
      }
      dial.onComplete(ar -> {
        pendingSeedDials--;
        if (id != null) {
          dials.untrackPending(id, dial);
        }
        if (ar.succeeded()) {
          seedIds.put(seed.address(), ar.result());
        } else {
          stats.dialFailures.incrementAndGet();
          LOG.debug("[{}] seed {} unreachable: {}", self.shortId(), seed.address(), ar.cause().getMessage());
        }
      });
    }
  }

  /**
   * With {@code shedSeeds}, once we hold the connection target, at least half of it (and one)
   * with peers other than seeds, disconnects the seeds we are connected to (not allow-listed ones):
   * they are for bootstrapping, and a seed that every node keeps runs out of inbound slots for
   * newcomers and ends as everyone's sync server. The freed room goes to other known peers; the
   * seeds are held off like any peer we disconnected.
   */
  void shed(Set<PeerId> connected) {
    int target = options.getTargetConcurrentConnections();
    if (!options.isShedSeeds() || connected.size() < target) {
      return;
    }
    Set<PeerId> seeds = peerIds();
    long others = connected.stream().filter(id -> !seeds.contains(id)).count();
    if (others < Math.max(1, target / 2)) {
      return; // mostly seeds: leaving them would leave us (nearly) alone
    }
    Set<PeerId> kept = toKeep(seeds, connected);
    for (PeerId id : seeds) {
      if (connected.contains(id) && !kept.contains(id) && !dials.isAllowlisted(id)) {
        stats.seedsShed.incrementAndGet();
        LOG.debug("[{}] leaving seed {}: {} connections reached", self.shortId(), id.shortId(), connected.size());
        transport.disconnect(id);
      }
    }
  }

  /**
   * The {@code seedsKept} connected seeds a node keeps when it sheds the others, so a joiner's
   * info, which it hands its seeds first, still reaches everyone within a tick or two through the
   * seeds' fresh-first answers. Ordered by both ids, so the nodes spread evenly over the seeds.
   */
  private Set<PeerId> toKeep(Set<PeerId> seeds, Set<PeerId> connected) {
    Set<PeerId> kept = new HashSet<>();
    seeds.stream().filter(connected::contains)
        .sorted(Comparator.comparingInt(id -> id.hashCode() ^ self.hashCode()))
        .limit(options.getSeedsKept())
        .forEach(kept::add);
    return kept;
  }
}
