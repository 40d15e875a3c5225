package io.weft.discovery;

import com.google.protobuf.ByteString;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** How many recent digest arrival times are kept (see {@link #kthLatestArrival}). */
  private static final int ARRIVALS_KEPT = 64;

  /** Not yet seen by a scan: {@link #silenceStale} starts its grace. */
  private static final long UNSEEN = Long.MAX_VALUE;

  /** What we know of one peer's liveness. Mutable, only under the state's lock. */
  private static final class Entry {
    final PeerId id;
    final long prefix;
    /** When we last heard it was alive (our own contact or a vouch); MIN_VALUE = never. */
    long heardAt = Long.MIN_VALUE;
    /** When a scan first saw it in the table: the start of its grace (never vouched on). */
    long seenAt;
    /** Its entry in the table; null while it is not in the table (removed, culled or silenced). */
    KnownPeer known;
    /** Whether it is held in {@link #silenced}. */
    boolean silenced;

    /** Only public peers whose info we hold are vouched for. */
    boolean vouchable() {
      return known != null && !known.privateAccess();
    }

    Entry(PeerId id, long seenAt) {
      this.id = id;
      this.prefix = prefixOf(id);
      this.seenAt = seenAt;
    }

    long lastSign() {
      return Math.max(heardAt, seenAt == UNSEEN ? Long.MIN_VALUE : seenAt);
    }
  }

  /** Every entry, by id prefix (the one index: ~70 bytes an entry, so 10,000 tables of 10,000 fit). */
  private final PrefixIndex<Entry> entries = new PrefixIndex<>();
  private final LinkedHashMap<PeerId, KnownPeer> silenced = new LinkedHashMap<>();
  /** Arrival times of the last digests, oldest first (a ring). */
  private final long[] arrivals = new long[ARRIVALS_KEPT];
  private int arrivalCount;
  private int nextArrival;

  static long prefixOf(PeerId id) {
    return id.prefix64();
  }

  /** A peer entered the table, or its info was replaced: vouches for it can be matched from now on. */
  void indexed(KnownPeer peer) {
    entry(peer.peerId(), UNSEEN).known = peer;
  }

  /** A peer left the table (removed or culled): the next scan forgets it unless it is silenced. */
  void removed(PeerId id) {
    Entry entry = find(id);
    if (entry != null) {
      entry.known = null;
    }
  }

  /** The entry of {@code id}, or null (also when another id with the same prefix holds the slot). */
  private Entry find(PeerId id) {
    Entry entry = entries.get(id.prefix64());
    return entry != null && entry.id.equals(id) ? entry : null;
  }

  private Entry entry(PeerId id, long seenAt) {
    Entry entry = find(id);
    if (entry == null) {
      entry = new Entry(id, seenAt);
      entries.put(entry.prefix, entry);
    }
    return entry;
  }

  /** We heard from {@code id} ourselves at {@code nowMs}; returns the revived entry if it was silenced, else null. */
  KnownPeer heard(PeerId id, long nowMs) {
    Entry entry = entry(id, nowMs);
    entry.heardAt = Math.max(entry.heardAt, nowMs);
    return entry.silenced ? unsilence(entry) : null;
  }

  private KnownPeer unsilence(Entry entry) {
    entry.silenced = false;
    return silenced.remove(entry.id);
  }

  /**
   * Why {@code digest} is malformed (entry count over {@code maxEntries}, lengths that disagree,
   * more than {@code maxFreshInfos} infos), or null.
   */
  static String problem(LivenessDigest digest, int maxEntries, int maxFreshInfos) {
    if (digest.getFreshInfosCount() > maxFreshInfos) {
      return "liveness digest has " + digest.getFreshInfosCount() + " fresh infos, at most " + maxFreshInfos;
    }
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
      long ageMs = Integer.toUnsignedLong(digest.getAges100Ms(i)) * 100L; // uint32 on the wire
      Entry entry = ageMs > ttlMs ? null : entries.get(prefixes.getLong(i * PREFIX_BYTES));
      long at = nowMs - ageMs;
      if (entry != null && at > entry.heardAt) {
        entry.heardAt = at;
        KnownPeer back = entry.silenced ? unsilence(entry) : null;
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
    long digestsSinceBefore = kthLatestArrival(minDigests);
    List<Entry> stale = new ArrayList<>();
    List<Entry> gone = new ArrayList<>();
    entries.forEach(entry -> {
      if (entry.seenAt == UNSEEN) {
        entry.seenAt = entry.heardAt == Long.MIN_VALUE ? nowMs : entry.heardAt;
      }
      long last = entry.lastSign();
      KnownPeer known = entry.known;
      if (known == null) {
        if (!entry.silenced || nowMs - last > holdMs) {
          gone.add(entry);
        }
      } else if (nowMs - last > ttlMs && last < digestsSinceBefore && !known.privateAccess()
          && !exempt.contains(entry.id)) {
        stale.add(entry);
      }
    });
    for (Entry entry : gone) {
      if (entry.silenced) {
        unsilence(entry);
      }
      entries.remove(entry.prefix, entry);
    }
    List<PeerId> now = new ArrayList<>(stale.size());
    for (Entry entry : stale) {
      table.remove(entry.id);
      silence(entry);
      now.add(entry.id);
    }
    return now;
  }

  private void silence(Entry entry) {
    silenced.put(entry.id, entry.known);
    entry.known = null;
    entry.silenced = true;
    if (silenced.size() > MAX_SILENCED) {
      Iterator<PeerId> eldest = silenced.keySet().iterator();
      Entry oldest = find(eldest.next());
      eldest.remove();
      if (oldest != null) {
        oldest.silenced = false;
        entries.remove(oldest.prefix, oldest);
      }
    }
  }

  /**
   * Whether {@code peer}'s info signed at {@code timestampMs} must stay out: we silenced that info
   * (or a newer one). A newer info is proof of life: the peer is no longer silenced.
   */
  boolean refuses(PeerId peer, long timestampMs) {
    KnownPeer held = silenced.isEmpty() ? null : silenced.get(peer);
    if (held == null) {
      return false;
    }
    if (timestampMs > held.timestampMs()) {
      silenced.remove(peer);
      Entry entry = find(peer);
      if (entry != null) {
        entry.silenced = false;
        entry.seenAt = UNSEEN; // seen anew at the next scan: a grace of one TTL, no vouch
        entry.heardAt = Long.MIN_VALUE;
      }
      return false;
    }
    return true;
  }

  /**
   * Our digest: ourselves (age 0), then every public peer whose info we hold, heard of within
   * {@code ttlMs}, a random {@code max} of them when there are more; ages rounded up to 100 ms
   * plus one unit; then the infos of {@code fresh} (an answer's), all in one builder.
   */
  LivenessDigest digest(PeerId self, long nowMs, long ttlMs, int max, Random random, List<KnownPeer> fresh) {
    Entry[] picked = new Entry[Math.max(0, Math.min(max - 1, entries.size()))];
    int n = entries.sample(picked, entry -> entry.heardAt != Long.MIN_VALUE && nowMs - entry.heardAt <= ttlMs
        && entry.vouchable(), random);
    ByteBuffer prefixes = ByteBuffer.allocate((n + 1) * PREFIX_BYTES);
    LivenessDigest.Builder out = LivenessDigest.newBuilder();
    prefixes.putLong(prefixOf(self));
    out.addAges100Ms(0);
    for (int i = 0; i < n; i++) {
      prefixes.putLong(picked[i].prefix);
      out.addAges100Ms((int) Math.min(Integer.MAX_VALUE, (nowMs - picked[i].heardAt + 99) / 100 + 1));
    }
    fresh.forEach(peer -> out.addFreshInfos(peer.signed()));
    return out.setPeerIdPrefixes(ByteString.copyFrom(prefixes.array())).build();
  }

  int silencedCount() {
    return silenced.size();
  }
}
