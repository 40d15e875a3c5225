package io.weft.discovery;

import com.google.protobuf.ByteString;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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

  /** Every entry, by id prefix: no object an entry, so 10,000 tables of 10,000 fit. */
  private final LivenessEntries entries;
  private final LinkedHashMap<PeerId, KnownPeer> silenced = new LinkedHashMap<>();
  /** Arrival times of the last digests, oldest first (a ring). */
  private final long[] arrivals = new long[ARRIVALS_KEPT];
  private int arrivalCount;
  private int nextArrival;

  /** @param hashKey the key of the hash that places entries in slots ({@link LivenessEntries}) */
  LivenessTable(long hashKey) {
    entries = new LivenessEntries(hashKey);
  }

  static long prefixOf(PeerId id) {
    return id.prefix64();
  }

  /** A peer entered the table, or its info was replaced: vouches for it can be matched from now on. */
  void indexed(KnownPeer peer) {
    int slot = slotOf(peer.peerId(), UNSEEN);
    if (entries.has(slot, LivenessEntries.SILENCED)) {
      silenced.remove(entries.peer(slot).peerId()); // cannot happen: refuses() or a revival came first
    }
    entries.set(slot, peer, LivenessEntries.IN_TABLE | (peer.privateAccess() ? 0 : LivenessEntries.PUBLIC));
  }

  /** A peer left the table (removed or culled): the next scan forgets it unless it is silenced. */
  void removed(PeerId id) {
    int slot = entries.find(prefixOf(id));
    if (slot >= 0 && entries.has(slot, LivenessEntries.IN_TABLE) && entries.peer(slot).peerId().equals(id)) {
      entries.set(slot, null, 0);
    }
  }

  /**
   * The slot of {@code id}: its 8-byte prefix is its identity here (two honest ids share one
   * with odds of ~N²/2⁶⁵; choosing a key to match another's costs ~2⁶⁴ key pairs), as in digests.
   */
  private int slotOf(PeerId id, long seenAt) {
    int slot = entries.find(prefixOf(id));
    return slot >= 0 ? slot : entries.add(prefixOf(id), Long.MIN_VALUE, seenAt);
  }

  /** We heard from {@code id} ourselves at {@code nowMs}; returns the revived entry if it was silenced, else null. */
  KnownPeer heard(PeerId id, long nowMs) {
    int slot = slotOf(id, nowMs);
    entries.setHeardAt(slot, Math.max(entries.heardAt(slot), nowMs));
    return entries.has(slot, LivenessEntries.SILENCED) ? unsilence(slot) : null;
  }

  /** Takes the held info out of {@link #silenced}; the slot keeps only its times until the info is indexed again. */
  private KnownPeer unsilence(int slot) {
    KnownPeer held = entries.peer(slot);
    entries.set(slot, null, 0);
    return silenced.remove(held.peerId());
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
      int slot = ageMs > ttlMs ? -1 : entries.find(prefixes.getLong(i * PREFIX_BYTES));
      long at = nowMs - ageMs;
      if (slot >= 0 && at > entries.heardAt(slot)) {
        entries.setHeardAt(slot, at);
        KnownPeer back = !silenced.isEmpty() && entries.has(slot, LivenessEntries.SILENCED) ? unsilence(slot) : null;
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
    List<KnownPeer> stale = new ArrayList<>();
    int mask = entries.capacity() - 1;
    int start = entries.emptySlot(); // from the end of a run: a removal only pulls unvisited entries back
    for (int k = 1; k <= entries.capacity(); k++) {
      int slot = (start + k) & mask;
      while (entries.used(slot)) {
        long heardAt = entries.heardAt(slot);
        if (entries.seenAt(slot) == UNSEEN) {
          entries.setSeenAt(slot, heardAt == Long.MIN_VALUE ? nowMs : heardAt);
        }
        long last = Math.max(heardAt, entries.seenAt(slot));
        if (!entries.has(slot, LivenessEntries.IN_TABLE)) {
          if (!entries.has(slot, LivenessEntries.SILENCED) || nowMs - last > holdMs) {
            if (entries.has(slot, LivenessEntries.SILENCED)) {
              unsilence(slot);
            }
            entries.remove(slot);
            continue; // the slot now holds the next entry of its run, or nothing
          }
        } else if (nowMs - last > ttlMs && last < digestsSinceBefore && entries.has(slot, LivenessEntries.PUBLIC)
            && !exempt.contains(entries.peer(slot).peerId())) {
          stale.add(entries.peer(slot));
        }
        break;
      }
    }
    List<PeerId> now = new ArrayList<>(stale.size());
    for (KnownPeer peer : stale) {
      table.remove(peer.peerId());
      silence(peer);
      now.add(peer.peerId());
    }
    return now;
  }

  private void silence(KnownPeer peer) {
    silenced.put(peer.peerId(), peer);
    entries.set(entries.find(prefixOf(peer.peerId())), peer, LivenessEntries.SILENCED);
    if (silenced.size() > MAX_SILENCED) {
      Iterator<PeerId> eldest = silenced.keySet().iterator();
      PeerId oldest = eldest.next();
      eldest.remove();
      int slot = entries.find(prefixOf(oldest));
      if (slot >= 0 && entries.has(slot, LivenessEntries.SILENCED) && entries.peer(slot).peerId().equals(oldest)) {
        entries.remove(slot);
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
      int slot = entries.find(prefixOf(peer));
      if (slot >= 0 && entries.has(slot, LivenessEntries.SILENCED)) {
        entries.set(slot, null, 0);
        entries.setSeenAt(slot, UNSEEN); // seen anew at the next scan: a grace of one TTL, no vouch
        entries.setHeardAt(slot, Long.MIN_VALUE);
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
    int[] picked = new int[Math.max(0, Math.min(max - 1, entries.size()))];
    int n = entries.sample(picked, LivenessEntries.IN_TABLE | LivenessEntries.PUBLIC | LivenessEntries.HEARD,
        slot -> nowMs - entries.heardAt(slot) <= ttlMs, random);
    ByteBuffer prefixes = ByteBuffer.allocate((n + 1) * PREFIX_BYTES);
    LivenessDigest.Builder out = LivenessDigest.newBuilder();
    prefixes.putLong(prefixOf(self));
    out.addAges100Ms(0);
    for (int i = 0; i < n; i++) {
      prefixes.putLong(entries.prefix(picked[i]));
      out.addAges100Ms((int) Math.min(Integer.MAX_VALUE, (nowMs - entries.heardAt(picked[i]) + 99) / 100 + 1));
    }
    fresh.forEach(peer -> out.addFreshInfos(peer.signed()));
    return out.setPeerIdPrefixes(ByteString.copyFrom(prefixes.array())).build();
  }

  /** Entries held: peers in the table, silenced ones, and ones heard of but not yet in the table. */
  int size() {
    return entries.size();
  }

  int silencedCount() {
    return silenced.size();
  }
}
