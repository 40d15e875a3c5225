package io.weft.stress;

import static io.weft.stress.StressWorld.ACTIVE_POOL;
import static io.weft.stress.StressWorld.DISCOVERY_POOL;
import static io.weft.stress.StressWorld.PINNED;
import static io.weft.stress.StressWorld.STABLE;
import static io.weft.stress.StressWorld.STABLE_BASE;

import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryState.Upsert;
import io.weft.discovery.KnownPeer;
import io.weft.network.ActivePeer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** One thread's (or one verticle's) random walk over the shared state, checking as it goes. */
final class StressActor {

  private final StressWorld w;
  private final String name;
  /** The channel of each churning ActivePeers id this actor owns, or null. */
  private final Object[] owned = new Object[ACTIVE_POOL];
  /** The largest timestamp this actor has seen for each stable discovery id. */
  private final long[] seenStable = new long[STABLE];
  private long ops;

  StressActor(StressWorld world, String name) {
    this.w = world;
    this.name = name;
  }

  long ops() {
    return ops;
  }

  void step(Random rnd) {
    ops++;
    try {
      switch (rnd.nextInt(12)) {
        case 0, 1 -> insertOrRelease(rnd.nextInt(ACTIVE_POOL - PINNED) + PINNED);
        case 2 -> replacePinned(rnd.nextInt(PINNED));
        case 3 -> staleRemove(rnd);
        case 4 -> readPeers();
        case 5 -> checkPeersSnapshot();
        case 6, 7 -> upsertStable(rnd.nextInt(STABLE));
        case 8 -> churnDiscovery(rnd);
        case 9 -> readStable(rnd.nextInt(STABLE));
        case 10 -> sample(rnd);
        default -> w.discovery.cullOlderThan(w.clock.get() - 50);
      }
    } catch (RuntimeException | AssertionError e) {
      w.fail(e);
      throw e;
    }
  }

  private void insertOrRelease(int i) {
    PeerId id = w.ids[i];
    if (owned[i] != null) {
      w.check(w.owners.decrementAndGet(i) == 0, name + ": two owners of active peer " + i);
      w.check(w.peers.removeIf(id, owned[i]), name + ": lost its own active peer " + i);
      owned[i] = null;
      return;
    }
    Object ch = new Object();
    if (w.peers.insertIfAbsent(new ActivePeer(id, name, ops, ch))) {
      owned[i] = ch;
      w.check(w.owners.incrementAndGet(i) == 1, name + ": active peer " + i + " inserted twice");
      w.check(w.peers.get(id).orElseThrow().channel() == ch, name + ": own entry replaced");
    }
  }

  /** Removes whatever this actor owns; call when it has stopped. */
  void releaseAll() {
    for (int i = 0; i < ACTIVE_POOL; i++) {
      if (owned[i] != null) {
        insertOrRelease(i);
      }
    }
  }

  private void replacePinned(int i) {
    PeerId id = w.ids[i];
    Object ch = new Object();
    w.peers.write(m -> {
      ActivePeer old = m.remove(id);
      w.check(old != null, name + ": pinned peer " + i + " missing before replace");
      m.put(id, new ActivePeer(id, "pinned", old.connectedSinceMs() + 1, ch));
      w.pinnedChannel.set(i, ch);
      return null;
    });
  }

  private void staleRemove(Random rnd) {
    int i = rnd.nextInt(ACTIVE_POOL);
    w.check(!w.peers.removeIf(w.ids[i], new Object()), name + ": removeIf with a stale channel");
  }

  private void readPeers() {
    String torn = w.peers.read(m -> {
      int counted = 0;
      for (Map.Entry<PeerId, ActivePeer> e : m.entrySet()) {
        counted++;
        if (!e.getKey().equals(e.getValue().peerId())) {
          return "entry under the wrong key";
        }
      }
      if (counted != m.size() || m.keySet().size() != m.values().size()) {
        return "size " + m.size() + " but " + counted + " entries";
      }
      for (int i = 0; i < PINNED; i++) {
        if (!m.containsKey(w.ids[i])) {
          return "pinned peer " + i + " missing";
        }
      }
      return null;
    });
    w.check(torn == null, name + ": torn ActivePeers read: " + torn);
  }

  private void checkPeersSnapshot() {
    List<ActivePeer> snap = w.peers.snapshot();
    Set<PeerId> seen = new HashSet<>();
    for (ActivePeer p : snap) {
      w.check(seen.add(p.peerId()), name + ": duplicate in snapshot");
    }
    for (int i = 0; i < PINNED; i++) {
      w.check(seen.contains(w.ids[i]), name + ": pinned peer missing from snapshot");
      w.check(w.peers.contains(w.ids[i]), name + ": pinned peer missing");
    }
    w.check(snap.size() <= ACTIVE_POOL, name + ": snapshot too large: " + snap.size());
  }

  private void upsertStable(int i) {
    long ts = STABLE_BASE + w.clock.incrementAndGet();
    w.stableMaxOffered.accumulateAndGet(i, ts, Math::max);
    Upsert result = w.discovery.upsert(SharedStateStressTest.known(w.ids[i], ts));
    w.check(result != Upsert.INSERTED, name + ": stable peer " + i + " was missing");
    long now = w.discovery.get(w.ids[i]).orElseThrow().timestampMs();
    w.check(result == Upsert.STALE ? now > ts : now >= ts,
        name + ": stable peer " + i + " upsert " + result + " of " + ts + " but stored " + now);
    observeStable(i, now);
  }

  private void readStable(int i) {
    observeStable(i, w.discovery.get(w.ids[i]).orElseThrow().timestampMs());
  }

  private void observeStable(int i, long ts) {
    w.check(ts >= seenStable[i], name + ": stable peer " + i + " went back from "
        + seenStable[i] + " to " + ts);
    w.check(ts <= w.stableMaxOffered.get(i), name + ": stable peer " + i + " never offered " + ts);
    seenStable[i] = ts;
  }

  private void churnDiscovery(Random rnd) {
    PeerId id = w.ids[STABLE + rnd.nextInt(DISCOVERY_POOL - STABLE)];
    if (rnd.nextInt(4) == 0) {
      w.discovery.remove(id);
    } else {
      w.discovery.upsert(SharedStateStressTest.known(id, w.clock.incrementAndGet()));
    }
  }

  private void sample(Random rnd) {
    int max = rnd.nextInt(6);
    List<KnownPeer> s = w.discovery.sample(max, rnd, p -> !p.privateAccess());
    w.check(s.size() <= max, name + ": sample larger than " + max);
    Set<PeerId> seen = new HashSet<>();
    for (KnownPeer p : s) {
      w.check(!p.privateAccess(), name + ": sample ignored the filter");
      w.check(seen.add(p.peerId()), name + ": duplicate in sample");
    }
    List<KnownPeer> snap = w.discovery.snapshot();
    w.check(snap.size() <= DISCOVERY_POOL, name + ": snapshot too large: " + snap.size());
    for (int i = 0; i < STABLE; i++) {
      final PeerId stable = w.ids[i];
      w.check(snap.stream().anyMatch(p -> p.peerId().equals(stable)),
          name + ": stable peer " + i + " missing from snapshot");
    }
  }
}
