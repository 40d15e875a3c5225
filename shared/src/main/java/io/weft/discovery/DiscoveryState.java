package io.weft.discovery;

import io.vertx.core.Vertx;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import io.weft.state.LocalStates;
import io.weft.state.LockedState;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Discovery's shared state: our own signed info and the peers we know of, shared by all
 * verticles of one Vert.x instance and namespace (see {@link #in}). Every method takes the
 * lock once, for the shortest time, and returns immutable values or copies.
 */
public final class DiscoveryState extends LockedState<DiscoveryState.Data> {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "discovery-state";

  /** The outcome of {@link #upsert}. */
  public enum Upsert {
    /** The peer was unknown and has been stored. */
    INSERTED,
    /** The stored entry was older and has been replaced. */
    REPLACED,
    /** The stored entry is as new or newer; nothing changed. */
    STALE,
    /** The peer was silenced with this very info (or a newer one): it stays out. */
    SILENCED
  }

  /**
   * The guarded data, reached only inside {@link #read} and {@link #write}. Values in
   * {@link #knownPeers} and {@link #ourInfo} are immutable, so they may be copied out as is.
   * The known peers change only through the methods of {@link DiscoveryState}, which keep the
   * expiry index in step.
   */
  public static final class Data {
    /** Our own signed info, once we have signed it. */
    public SignedNodeInfo ourInfo;
    private final KnownPeerTable table = new KnownPeerTable();
    private final LivenessTable liveness;
    /** The peers we know of, by peer id (read-only). */
    public final Map<PeerId, KnownPeer> knownPeers = table.view();

    Data(long livenessHashKey) {
      liveness = new LivenessTable(livenessHashKey);
    }
  }

  private static final SecureRandom LIVENESS_HASH_KEYS = new SecureRandom();

  /**
   * A new, empty, unshared state; most code wants {@link #in} instead. Its liveness entries are
   * placed by a hash under a random key, so nobody can grind peer ids that pile up in one run of
   * slots.
   */
  public DiscoveryState() {
    this(LIVENESS_HASH_KEYS.nextLong());
  }

  /**
   * A state whose liveness entries are placed by a hash under {@code livenessHashKey}: with one
   * key for every node (the simulator) slot order, and so which entries a digest of a large table
   * lists, is the same from run to run, and a digest read in one table's slot order is looked up
   * in ascending slot order in the next.
   */
  public DiscoveryState(long livenessHashKey) {
    super(new Data(livenessHashKey));
  }

  /**
   * The single instance for {@code namespace} in {@code vertx}: the local map
   * {@code namespace + ".state"}, key {@value #KEY}, created atomically when absent.
   */
  public static DiscoveryState in(Vertx vertx, String namespace) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, DiscoveryState.class,
        DiscoveryState::new);
  }

  /** Our own signed info, once set. */
  public Optional<SignedNodeInfo> ourInfo() {
    return Optional.ofNullable(read(d -> d.ourInfo));
  }

  /** Sets our own signed info. */
  public void setOurInfo(SignedNodeInfo info) {
    Objects.requireNonNull(info, "info");
    write(d -> d.ourInfo = info);
  }

  /**
   * Stores {@code peer} when its id is unknown, or replaces the stored entry when
   * {@code peer} is strictly newer (by {@link KnownPeer#timestampMs()}); otherwise leaves the
   * state unchanged.
   */
  public Upsert upsert(KnownPeer peer) {
    Objects.requireNonNull(peer, "peer");
    return write(d -> {
      if (d.liveness.refuses(peer.peerId(), peer.timestampMs())) {
        return Upsert.SILENCED;
      }
      Upsert result = d.table.upsert(peer);
      if (result != Upsert.STALE) {
        d.liveness.indexed(peer);
      }
      return result;
    });
  }

  /**
   * We heard from {@code id} ourselves (an exchange, a connection): it counts as alive now, and is
   * back in the table if it was silenced; true in that case.
   */
  public boolean heard(PeerId id, long nowMs) {
    Objects.requireNonNull(id, "id");
    return write(d -> {
      KnownPeer back = d.liveness.heard(id, nowMs);
      return back != null && revive(d, List.of(back)) > 0;
    });
  }

  /**
   * Takes the vouches of a {@link LivenessDigest} (checked with {@link #livenessProblem}); a fresh
   * vouch puts a silenced peer back. One write lock, O(entries).
   *
   * @return how many silenced peers came back
   */
  public int mergeLiveness(LivenessDigest digest, long nowMs, long ttlMs) {
    Objects.requireNonNull(digest, "digest");
    return write(d -> revive(d, d.liveness.merge(digest, nowMs, ttlMs)));
  }

  private static int revive(Data d, List<KnownPeer> back) {
    int count = 0;
    for (KnownPeer peer : back) {
      if (d.table.upsert(peer) == Upsert.INSERTED) {
        d.liveness.indexed(peer);
        count++;
      }
    }
    return count;
  }

  /**
   * Why {@code digest} cannot be taken (lengths disagree, over {@code maxEntries} entries or
   * {@code maxFreshInfos} infos), or null.
   */
  public static String livenessProblem(LivenessDigest digest, int maxEntries, int maxFreshInfos) {
    return LivenessTable.problem(digest, maxEntries, maxFreshInfos);
  }

  /**
   * Silences the known peers nobody vouched for within {@code ttlMs}: out of the table, held for
   * revival for up to {@code holdMs}. Private peers and {@code exempt} ones stay; nothing is
   * silenced until {@code minDigests} digests arrived after the peer was last heard of. O(table).
   *
   * @return the ids silenced now
   */
  public List<PeerId> silenceUnvouched(long nowMs, long ttlMs, long holdMs, int minDigests, Set<PeerId> exempt) {
    Objects.requireNonNull(exempt, "exempt");
    return write(d -> d.liveness.silenceStale(d.table, nowMs, ttlMs, holdMs, minDigests, exempt));
  }

  /**
   * Our liveness digest: {@code self} at age 0 and the public known peers heard of within
   * {@code ttlMs}, at most {@code max} entries in all (a random choice when there are more).
   */
  public LivenessDigest livenessDigest(PeerId self, long nowMs, long ttlMs, int max, Random random) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(random, "random");
    return livenessDigest(self, nowMs, ttlMs, max, random, List.of());
  }

  /** {@link #livenessDigest(PeerId, long, long, int, Random)} carrying the signed infos of {@code fresh} too (an answer). */
  public LivenessDigest livenessDigest(PeerId self, long nowMs, long ttlMs, int max, Random random,
      List<KnownPeer> fresh) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(random, "random");
    List<KnownPeer> infos = List.copyOf(fresh);
    return read(d -> d.liveness.digest(self, nowMs, ttlMs, max, random, infos));
  }

  /** How many silenced peers are held for revival. */
  public int silencedCount() {
    return read(d -> d.liveness.silencedCount());
  }

  /** The entry of {@code id}, if known. */
  public Optional<KnownPeer> get(PeerId id) {
    return Optional.ofNullable(read(d -> d.knownPeers.get(id)));
  }

  /** Forgets {@code id}; true when it was known. */
  public boolean remove(PeerId id) {
    return write(d -> {
      d.liveness.removed(id);
      return d.table.remove(id);
    });
  }

  /**
   * Forgets every peer whose timestamp is below {@code minTimestampMs}; returns how many. Costs
   * O(culled · log n): entries are indexed by timestamp.
   */
  public int cullOlderThan(long minTimestampMs) {
    return write(d -> d.table.cullOlderThan(minTimestampMs, d.liveness::removed));
  }

  /** An immutable copy of the known peers, in no particular order. */
  public List<KnownPeer> snapshot() {
    return read(d -> List.copyOf(d.knownPeers.values()));
  }

  /** How many peers are known. */
  public int size() {
    return read(d -> d.knownPeers.size());
  }

  /** An immutable copy of the known peer ids. */
  public Set<PeerId> ids() {
    return read(d -> Set.copyOf(d.knownPeers.keySet()));
  }

  /** The ids among {@code ids} that are known (an immutable copy); one lock, no copy of the table. */
  public Set<PeerId> knownAmong(Collection<PeerId> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      return Set.of();
    }
    return read(d -> {
      Set<PeerId> out = new HashSet<>();
      for (PeerId id : ids) {
        if (d.knownPeers.containsKey(id)) {
          out.add(id);
        }
      }
      return Set.copyOf(out);
    });
  }

  /**
   * Up to {@code max} known peers that pass {@code filter}: all of them when there are at most
   * {@code max}, else a uniform random sample of {@code max} drawn with {@code random}. The
   * filter runs under the read lock, so it must be cheap and take no lock. A large table is
   * sampled by drawing random entries under the lock (O(max), not O(table)); a small one, or one
   * where too few entries pass the filter, is filtered whole and sampled after the lock is released.
   *
   * @return an immutable list
   */
  public List<KnownPeer> sample(int max, Random random, Predicate<KnownPeer> filter) {
    return sampleFreshFirst(0, max, random, filter);
  }

  /**
   * Like {@link #sample}, but led by up to {@code fresh} peers passing {@code filter} that were
   * first learnt most recently (still known; newest first, at most 256), then filled up to
   * {@code max} with a random sample of the others. A new node's info thus spreads to every
   * table in a few hops instead of waiting to be drawn at random. One lock; the recency part costs
   * O(256).
   *
   * @return an immutable list, the fresh peers first
   */
  public List<KnownPeer> sampleFreshFirst(int fresh, int max, Random random, Predicate<KnownPeer> filter) {
    if (max < 0 || fresh < 0) {
      throw new IllegalArgumentException("max and fresh must not be negative: " + max + ", " + fresh);
    }
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(filter, "filter");
    int leading = Math.min(fresh, max);
    List<List<KnownPeer>> parts = read(d -> {
      List<KnownPeer> recent = leading == 0 ? List.of() : d.table.recent(leading, filter);
      Predicate<KnownPeer> rest = filter;
      if (!recent.isEmpty()) {
        Set<PeerId> taken = new HashSet<>();
        recent.forEach(p -> taken.add(p.peerId()));
        rest = filter.and(p -> !taken.contains(p.peerId()));
      }
      return List.of(recent, d.table.sampleOrEligible(max - recent.size(), random, rest));
    });
    List<KnownPeer> recent = parts.get(0);
    List<KnownPeer> eligible = new ArrayList<>(parts.get(1));
    int room = max - recent.size();
    if (eligible.size() > room) {
      // Partial Fisher-Yates: the first room slots become a uniform sample without replacement.
      for (int i = 0; i < room; i++) {
        int j = i + random.nextInt(eligible.size() - i);
        KnownPeer tmp = eligible.get(i);
        eligible.set(i, eligible.get(j));
        eligible.set(j, tmp);
      }
      eligible = eligible.subList(0, room);
    }
    if (recent.isEmpty()) {
      return List.copyOf(eligible);
    }
    List<KnownPeer> out = new ArrayList<>(recent);
    out.addAll(eligible);
    return List.copyOf(out);
  }
}
