package io.weft.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.KnownPeer;
import io.weft.network.ActivePeer;
import io.weft.network.ActivePeers;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The shared objects under stress and the bookkeeping the actors keep beside them.
 *
 * <p>ActivePeers: ids {@code 0..PINNED-1} are always present and only replaced inside one write
 * (remove, then put): nobody may ever see them missing. Ids {@code PINNED..ACTIVE_POOL-1} churn:
 * whoever inserts one owns it until it removes it with its own channel; two owners at once
 * means a lost update.
 *
 * <p>DiscoveryState: ids {@code 0..STABLE-1} are only upserted, with timestamps above
 * {@link #STABLE_BASE} that no cull reaches: readers must see their timestamps never decrease,
 * and the final state must hold the largest timestamp ever written. Other ids churn through
 * upsert, remove and cull.
 */
final class StressWorld {

  static final int PINNED = 2;
  static final int ACTIVE_POOL = 8;
  static final int STABLE = 4;
  static final int DISCOVERY_POOL = 12;
  static final long STABLE_BASE = 1L << 40;

  final ActivePeers peers;
  final DiscoveryState discovery;
  final PeerId[] ids = new PeerId[Math.max(ACTIVE_POOL, DISCOVERY_POOL)];
  /** The channel of the last replacement of each pinned id, set inside the write lambda. */
  final AtomicReferenceArray<Object> pinnedChannel = new AtomicReferenceArray<>(PINNED);
  /** How many actors believe they own each churning ActivePeers id (must stay 0 or 1). */
  final AtomicIntegerArray owners = new AtomicIntegerArray(ACTIVE_POOL);
  /** The largest timestamp ever offered for each stable discovery id. */
  final AtomicLongArray stableMaxOffered = new AtomicLongArray(STABLE);
  /** A clock for timestamps, so that later writes carry larger timestamps. */
  final AtomicLong clock = new AtomicLong(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  StressWorld(ActivePeers peers, DiscoveryState discovery) {
    this.peers = peers;
    this.discovery = discovery;
    for (int i = 0; i < ids.length; i++) {
      ids[i] = SharedStateStressTest.id(i);
    }
  }

  void setUp() {
    for (int i = 0; i < PINNED; i++) {
      Object ch = new Object();
      pinnedChannel.set(i, ch);
      assertThat(peers.insertIfAbsent(new ActivePeer(ids[i], "pinned", 0, ch))).isTrue();
    }
    for (int i = 0; i < STABLE; i++) {
      long ts = STABLE_BASE + clock.incrementAndGet();
      stableMaxOffered.set(i, ts);
      discovery.upsert(SharedStateStressTest.known(ids[i], ts));
    }
  }

  void fail(Throwable t) {
    failure.compareAndSet(null, t);
  }

  Throwable failure() {
    return failure.get();
  }

  void check(boolean ok, String what) {
    if (!ok) {
      AssertionError e = new AssertionError(what);
      fail(e);
      throw e;
    }
  }

  /** Checks the final state against what the writers did. Call when every actor has stopped. */
  void verifyFinalState() {
    Map<PeerId, ActivePeer> finalPeers = peers.read(Map::copyOf);
    assertThat(finalPeers).hasSize(PINNED); // every actor removed what it owned
    for (int i = 0; i < PINNED; i++) {
      assertThat(finalPeers.get(ids[i]).channel()).isSameAs(pinnedChannel.get(i));
    }
    for (int i = PINNED; i < ACTIVE_POOL; i++) {
      assertThat(owners.get(i)).isZero();
    }
    for (int i = 0; i < STABLE; i++) {
      KnownPeer p = discovery.get(ids[i]).orElseThrow();
      assertThat(p.timestampMs()).as("last write wins for stable peer %d", i)
          .isEqualTo(stableMaxOffered.get(i));
    }
    assertThat(discovery.snapshot()).hasSize(discovery.ids().size());
    assertThat(peers.snapshot()).hasSize(peers.ids().size());
  }
}
