package io.weft.discovery;

import com.google.protobuf.ByteString;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * When we last heard that each known peer was alive, and the peers we silenced for want of it.
 * Part of {@link DiscoveryState}'s guarded data: every method runs under its lock, next to the
 * {@link KnownPeerTable} it prunes.
 *
 * <p>"Heard" is our own contact with the peer (an exchange with it, a connection from it) or a
 * vouch in a {@link LivenessDigest}: "I heard from the peer whose id starts with these 8 bytes
 * so long ago". A known peer nobody has vouched for within the TTL is <em>silenced</em>: taken
 * out of the table (not served, not dialled, not counted) and held, so a later fresh vouch or a
 * newer info of it brings it straight back, and relays of the very info we silenced do not.
 * Vouches are unsigned: a liar can keep a departed peer listed for a while, but cannot remove a
 * live one while honest vouches reach us.
 */
final class LivenessTable {

  static final int PREFIX_BYTES = 8;
  /** Bound on silenced peers held for revival; beyond it the oldest is forgotten. */
  static final int MAX_SILENCED = 10_000;
  /** How many recent digest arrival times are kept (see {@link #digestsSince}). */
  private static final int ARRIVALS_KEPT = 64;

  /** What we know of one peer's liveness. Mutable, only under the state's lock. */
  private static final class Entry {
    /** When we last heard it was alive (our own contact or a vouch); MIN_VALUE = never. */
    long heardAt = Long.MIN_VALUE;
    /** When it was first seen in the table: the start of its grace (never vouched on). */
    long seenAt;

    Entry(long seenAt) {
      this.seenAt = seenAt;
    }

    long lastSign() {
      return Math.max(heardAt, seenAt);
    }
  }

  private final Map<PeerId, Entry> entries = new HashMap<>();
  private final Map<Long, PeerId> byPrefix = new HashMap<>();
  private final LinkedHashMap<PeerId, KnownPeer> silenced = new LinkedHashMap<>();
  /** Arrival times of the last digests, oldest first (a ring). */
  private final long[] arrivals = new long[ARRIVALS_KEPT];
  private int arrivalCount;
  private int nextArrival;

  static long prefixOf(PeerId id) {
    return ByteBuffer.wrap(id.toBytes()).getLong();
  }

  /** A peer entered the table: vouches for it can be matched from now on. */
  void indexed(PeerId id) {
    byPrefix.put(prefixOf(id), id);
  }

  /** We heard from {@code id} ourselves at {@code nowMs}; returns the revived entry if it was silenced, else null. */
  KnownPeer heard(PeerId id, long nowMs) {
    Entry entry = entries.computeIfAbsent(id, k -> new Entry(nowMs));
    entry.heardAt = Math.max(entry.heardAt, nowMs);
    return silenced.remove(id);
  }

  /** Why {@code digest} is malformed (entry count over {@code maxEntries}, lengths that disagree), or null. */
  static String problem(LivenessDigest digest, int maxEntries) {
    int bytes = digest.getPeerIdPrefixes().size();
    int entries = digest.getAges100MsCount();
    if (bytes % PREFIX_BYTES != 0 || bytes / PREFIX_BYTES != entries) {
      return "liveness digest has " + bytes + " prefix bytes for " + entries + " ages";
    }
    return entries > maxEntries ? "liveness digest has " + entries + " entries, at most " + maxEntries : null;
  }

  /**
   * Takes the vouches of one digest, already checked by {@link #problem}: entries
   * older than {@code ttlMs} and unknown prefixes are skipped. Returns the silenced entries that
   * a fresh vouch brought back (the caller puts them back in the table).
   */
  List<KnownPeer> merge(LivenessDigest digest, long nowMs, long ttlMs) {
    arrivals[nextArrival] = nowMs;
    nextArrival = (nextArrival + 1) % ARRIVALS_KEPT;
    arrivalCount = Math.min(arrivalCount + 1, ARRIVALS_KEPT);
    ByteBuffer prefixes = digest.getPeerIdPrefixes().asReadOnlyByteBuffer();
    List<KnownPeer> revived = List.of();
    int count = digest.getAges100MsCount();
    for (int i = 0; i < count; i++) {
      long ageMs = digest.getAges100Ms(i) * 100L;
      PeerId id = byPrefix.get(prefixes.getLong(i * PREFIX_BYTES));
      if (id == null || ageMs > ttlMs) {
        continue;
      }
      long at = nowMs - ageMs;
      Entry entry = entries.get(id);
      if (entry == null) {
        entry = new Entry(at);
        entries.put(id, entry);
      }
      if (at > entry.heardAt) {
        entry.heardAt = at;
        KnownPeer back = silenced.remove(id);
        if (back != null) {
          revived = revived.isEmpty() ? new ArrayList<>() : revived;
          revived.add(back);
        }
      }
    }
    return revived;
  }

  /**
   * The arrival time of the {@code k}-th most recent digest: a peer last heard of before it has
   * had at least {@code k} digests since. MIN_VALUE when fewer arrived.
   */
  private long kthLatestArrival(int k) {
    if (k <= 0) {
      return Long.MAX_VALUE;
    }
    if (arrivalCount < k) {
      return Long.MIN_VALUE;
    }
    return arrivals[Math.floorMod(nextArrival - k, ARRIVALS_KEPT)];
  }

  /**
   * Silences the known peers of {@code table} not heard of for more than {@code ttlMs}, unless in
   * {@code exempt} or private, and only once at least {@code minDigests} digests reached us since
   * (so a node cut off from everyone silences nobody). A peer seen here for the first time counts
   * as heard now (a grace of one TTL). Forgets silenced peers not heard of for {@code holdMs}.
   *
   * @return the ids silenced now
   */
  List<PeerId> silenceStale(KnownPeerTable table, long nowMs, long ttlMs, long holdMs, int minDigests,
      Set<PeerId> exempt) {
    for (PeerId id : table.view().keySet()) {
      if (!entries.containsKey(id)) {
        entries.put(id, new Entry(nowMs));
        indexed(id);
      }
    }
    long digestsSinceBefore = kthLatestArrival(minDigests);
    List<KnownPeer> stale = new ArrayList<>();
    Iterator<Map.Entry<PeerId, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, Entry> e = it.next();
      PeerId id = e.getKey();
      long last = e.getValue().lastSign();
      KnownPeer known = table.get(id);
      if (known == null) {
        if (!silenced.containsKey(id) || nowMs - last > holdMs) {
          silenced.remove(id);
          byPrefix.remove(prefixOf(id), id);
          it.remove();
        }
      } else if (nowMs - last > ttlMs && last < digestsSinceBefore && !known.privateAccess()
          && !exempt.contains(id)) {
        stale.add(known);
      }
    }
    List<PeerId> now = new ArrayList<>(stale.size());
    for (KnownPeer known : stale) {
      table.remove(known.peerId());
      silence(known);
      now.add(known.peerId());
    }
    return now;
  }

  private void silence(KnownPeer known) {
    silenced.put(known.peerId(), known);
    if (silenced.size() > MAX_SILENCED) {
      Iterator<PeerId> eldest = silenced.keySet().iterator();
      PeerId id = eldest.next();
      entries.remove(id);
      byPrefix.remove(prefixOf(id), id);
      eldest.remove();
    }
  }

  /**
   * Whether {@code peer}'s info signed at {@code timestampMs} must stay out: we silenced that info
   * (or a newer one). A newer info is proof of life: the peer is no longer silenced.
   */
  boolean refuses(PeerId peer, long timestampMs) {
    KnownPeer held = silenced.get(peer);
    if (held == null) {
      return false;
    }
    if (timestampMs > held.timestampMs()) {
      silenced.remove(peer);
      entries.remove(peer); // seen anew at the next scan: a grace of one TTL, no vouch
      return false;
    }
    return true;
  }

  /**
   * Our digest: ourselves (age 0), then every public peer of {@code table} heard of within
   * {@code ttlMs}, a random {@code max} of them when there are more; ages rounded up to 100 ms
   * plus one unit.
   */
  LivenessDigest digest(KnownPeerTable table, PeerId self, long nowMs, long ttlMs, int max, Random random) {
    List<PeerId> ids = new ArrayList<>();
    List<Long> ages = new ArrayList<>();
    for (Map.Entry<PeerId, Entry> e : entries.entrySet()) {
      long age = nowMs - e.getValue().heardAt;
      KnownPeer known = e.getValue().heardAt == Long.MIN_VALUE || age > ttlMs ? null : table.get(e.getKey());
      if (known != null && !known.privateAccess()) {
        ids.add(e.getKey());
        ages.add(age);
      }
    }
    int n = ids.size();
    int room = Math.max(0, max - 1);
    if (n > room) {
      for (int i = 0; i < room; i++) {
        int j = i + random.nextInt(n - i);
        Collections.swap(ids, i, j);
        Collections.swap(ages, i, j);
      }
      n = room;
    }
    ByteBuffer prefixes = ByteBuffer.allocate((n + 1) * PREFIX_BYTES);
    LivenessDigest.Builder out = LivenessDigest.newBuilder();
    prefixes.putLong(prefixOf(self));
    out.addAges100Ms(0);
    for (int i = 0; i < n; i++) {
      prefixes.putLong(prefixOf(ids.get(i)));
      out.addAges100Ms((int) Math.min(Integer.MAX_VALUE, (ages.get(i) + 99) / 100 + 1));
    }
    return out.setPeerIdPrefixes(ByteString.copyFrom(prefixes.array())).build();
  }

  int silencedCount() {
    return silenced.size();
  }

}
