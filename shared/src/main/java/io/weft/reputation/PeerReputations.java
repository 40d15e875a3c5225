package io.weft.reputation;

import io.vertx.core.Vertx;
import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation.Offence;
import io.weft.state.LocalStates;
import io.weft.state.LockedState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Every tracked peer's {@link PeerReputation}, shared by the sync loop, the discovery loop and the
 * node's persistence. Records changed since the last {@link #takeChanges()} are remembered, so
 * they can be written to the store in batches. Bounded: beyond {@code maxPeers} records the least
 * useful are evicted (see {@link #evictionOrder}) down to 90 % of the bound; the ids of evicted
 * records wait for the store's next write (at most {@code maxPeers} of them, older ones are left
 * on disk and evicted again at the next start).
 */
public final class PeerReputations extends LockedState<PeerReputations.Table> {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "peer-reputations";
  /**
   * Which records go first when the table is full: records of peers not denied now before denied
   * ones, without offences before those with, that never served before those that did, then the
   * least recently seen. So a flood of new identities cannot wash out a deny or an offence, and
   * proven servers are kept longest.
   */
  static Comparator<PeerReputation> evictionOrder(long nowMs) {
    return Comparator.<PeerReputation, Boolean>comparing(r -> r.isDenied(nowMs))
        .thenComparing(r -> r.offences() + r.relayOffences() > 0)
        .thenComparing(PeerReputation::proven)
        .thenComparingLong(PeerReputation::lastSeenMs);
  }

  /** The guarded state. */
  static final class Table {
    final Map<PeerId, PeerReputation> records = new HashMap<>();
    final Set<PeerId> changed = new LinkedHashSet<>();
    final Set<PeerId> removed = new LinkedHashSet<>();
  }

  /** Records to write and ids to delete since the last {@link #takeChanges()}. */
  public record Changes(List<PeerReputation> upserts, List<PeerId> removals) {
    public boolean isEmpty() {
      return upserts.isEmpty() && removals.isEmpty();
    }
  }

  private final ReputationPolicy policy;
  private final int maxPeers;
  private final AtomicLong skips = new AtomicLong();

  /** An empty table with the default policy (tests, simulations, nodes that persist nothing). */
  public PeerReputations() {
    this(ReputationPolicy.DEFAULT);
  }

  public PeerReputations(ReputationPolicy policy) {
    super(new Table());
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
    this.maxPeers = policy.maxPeers();
  }

  /** The namespace's instance (created with the default policy when absent). */
  public static PeerReputations in(Vertx vertx, String namespace) {
    return in(vertx, namespace, ReputationPolicy.DEFAULT);
  }

  /** The namespace's instance, created with {@code policy} when absent. */
  public static PeerReputations in(Vertx vertx, String namespace, ReputationPolicy policy) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, PeerReputations.class, () -> new PeerReputations(policy));
  }

  /** How this node uses reputation (immutable). */
  public ReputationPolicy policy() {
    return policy;
  }

  public Optional<PeerReputation> get(PeerId peer) {
    return Optional.ofNullable(read(t -> t.records.get(peer)));
  }

  /** Copies of the records of {@code peers} that are tracked. */
  public Map<PeerId, PeerReputation> of(Collection<PeerId> peers) {
    return read(t -> {
      Map<PeerId, PeerReputation> out = new HashMap<>();
      for (PeerId peer : peers) {
        PeerReputation r = t.records.get(peer);
        if (r != null) {
          out.put(peer, r);
        }
      }
      return out;
    });
  }

  /** It served {@code bytes} of sync data in {@code elapsedMs}. */
  public void served(PeerId peer, long bytes, long elapsedMs, long nowMs) {
    update(peer, nowMs, r -> r.served(bytes, elapsedMs, nowMs));
  }

  /** A fetch from it failed (timeout, refusal, empty answer): no proof of bad faith. */
  public void failed(PeerId peer, long nowMs) {
    update(peer, nowMs, r -> r.failed(nowMs));
  }

  public void rtt(PeerId peer, long sampleMs, long nowMs) {
    update(peer, nowMs, r -> r.rtt(sampleMs, nowMs));
  }

  /**
   * Records an offence; returns the time until which the peer is now denied when this offence
   * reached {@code maxStrikes}, else -1 (also when the peer was denied already).
   */
  public long offence(PeerId peer, Offence kind, int maxStrikes, long denyMs, long nowMs) {
    boolean[] newlyDenied = {false};
    PeerReputation after = update(peer, nowMs, r -> {
      PeerReputation next = r.offence(kind, maxStrikes, denyMs, nowMs);
      newlyDenied[0] = !r.isDenied(nowMs) && next.isDenied(nowMs);
      return next;
    });
    return newlyDenied[0] ? after.deniedUntilMs() : -1;
  }

  /** Denies {@code peer} until {@code untilMs} (a later deny already recorded is kept). */
  public void deny(PeerId peer, long untilMs, long nowMs) {
    update(peer, nowMs, r -> r.deniedUntil(untilMs, nowMs));
  }

  public boolean isDenied(PeerId peer, long nowMs) {
    return read(t -> {
      PeerReputation r = t.records.get(peer);
      return r != null && r.isDenied(nowMs);
    });
  }

  /** Strikes since the peer's last deny. */
  public int strikes(PeerId peer) {
    return read(t -> {
      PeerReputation r = t.records.get(peer);
      return r == null ? 0 : r.strikes();
    });
  }

  /** Records of peers denied at {@code nowMs}. */
  public List<PeerReputation> denied(long nowMs) {
    return read(t -> t.records.values().stream().filter(r -> r.isDenied(nowMs)).toList());
  }

  /** Clears deny times that have passed (lifetime counts stay); returns how many. */
  public int expireDenials(long nowMs) {
    return write(t -> {
      int expired = 0;
      for (Map.Entry<PeerId, PeerReputation> e : t.records.entrySet()) {
        PeerReputation r = e.getValue();
        if (r.deniedUntilMs() != 0 && !r.isDenied(nowMs)) {
          e.setValue(r.denialCleared());
          t.changed.add(e.getKey());
          expired++;
        }
      }
      return expired;
    });
  }

  /**
   * Loads records persisted by an earlier run: they replace what is tracked and are not marked
   * changed. Beyond the bound, the least useful are evicted (and marked for removal).
   */
  public void restore(Collection<PeerReputation> persisted, long nowMs) {
    write(t -> {
      for (PeerReputation r : persisted) {
        t.records.put(r.peerId(), r);
      }
      evictIfFull(t, nowMs);
      return null;
    });
  }

  /** What changed since the last call, and forgets it. */
  public Changes takeChanges() {
    return write(t -> {
      List<PeerReputation> upserts = new ArrayList<>(t.changed.size());
      for (PeerId id : t.changed) {
        PeerReputation r = t.records.get(id);
        if (r != null) {
          upserts.add(r);
        }
      }
      List<PeerId> removals = List.copyOf(t.removed);
      t.changed.clear();
      t.removed.clear();
      return new Changes(List.copyOf(upserts), removals);
    });
  }

  /** Marks {@code changes} as not yet written again (after a failed write). */
  public void requeue(Changes changes) {
    write(t -> {
      for (PeerReputation r : changes.upserts()) {
        if (t.records.containsKey(r.peerId())) {
          t.changed.add(r.peerId());
        }
      }
      for (PeerId id : changes.removals()) {
        if (!t.records.containsKey(id)) {
          t.removed.add(id);
        }
      }
      return null;
    });
  }

  public int size() {
    return read(t -> t.records.size());
  }

  /** Counts one candidate left out because of its reputation (denied); for metrics. */
  public void countSkip() {
    skips.incrementAndGet();
  }

  /** Candidates left out because of their reputation, since start. */
  public long skips() {
    return skips.get();
  }

  private PeerReputation update(PeerId peer, long nowMs, UnaryOperator<PeerReputation> change) {
    return write(t -> {
      PeerReputation before = t.records.get(peer);
      PeerReputation after = change.apply(before != null ? before : PeerReputation.fresh(peer, nowMs));
      t.records.put(peer, after);
      t.changed.add(peer);
      t.removed.remove(peer);
      if (before == null) {
        evictIfFull(t, nowMs);
      }
      return after;
    });
  }

  /** Beyond the bound, evicts the least useful records down to 90 % of it. */
  private void evictIfFull(Table t, long nowMs) {
    if (t.records.size() <= maxPeers) {
      return;
    }
    int keep = Math.max(1, maxPeers - maxPeers / 10);
    List<PeerReputation> all = new ArrayList<>(t.records.values());
    all.sort(evictionOrder(nowMs));
    for (PeerReputation r : all.subList(0, all.size() - keep)) {
      t.records.remove(r.peerId());
      t.changed.remove(r.peerId());
      t.removed.add(r.peerId());
    }
    for (var it = t.removed.iterator(); t.removed.size() > maxPeers && it.hasNext(); ) {
      it.next();
      it.remove();
    }
  }
}
