package io.weft.discovery;

import io.weft.crypto.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The known peers of one node, by id, with a binary min-heap of entries ordered by timestamp. The
 * heap makes culling cost O(culled · log n) instead of a scan of the table, and it doubles as the
 * array that {@link #sample} draws random entries from. Entries are removed from the heap lazily:
 * a heap slot is live while the table still maps its id to that very instance; the heap is
 * rebuilt from the table when dead slots outnumber live ones, so it holds at most about twice the
 * table and every update costs O(log n) amortized. Not thread-safe: {@link DiscoveryState} guards
 * it with its lock.
 */
final class KnownPeerTable {

  /** Below this many entries (or 4 × the sample size) sampling scans the table as before. */
  private static final int SCAN_BELOW = 64;
  /** How many of the most recently inserted ids {@link #recent} can return. */
  static final int RECENT_CAPACITY = 256;

  private final Map<PeerId, KnownPeer> byId = new HashMap<>();
  private final Map<PeerId, KnownPeer> view = Collections.unmodifiableMap(byId);
  private KnownPeer[] heap = new KnownPeer[16];
  private int heapSize;
  /** The ids first inserted most recently, newest last; some may have been removed since. */
  private final ArrayDeque<PeerId> recentlyInserted = new ArrayDeque<>();

  /** A read-only view of the table (changes with it: read it under the lock only). */
  Map<PeerId, KnownPeer> view() {
    return view;
  }

  KnownPeer get(PeerId id) {
    return byId.get(id);
  }

  int size() {
    return byId.size();
  }

  /** Newer-wins insert, see {@link DiscoveryState#upsert}. */
  DiscoveryState.Upsert upsert(KnownPeer peer) {
    KnownPeer current = byId.get(peer.peerId());
    if (current != null && peer.timestampMs() <= current.timestampMs()) {
      return DiscoveryState.Upsert.STALE;
    }
    byId.put(peer.peerId(), peer);
    push(peer);
    if (current == null) {
      if (recentlyInserted.size() == RECENT_CAPACITY) {
        recentlyInserted.removeFirst();
      }
      recentlyInserted.addLast(peer.peerId());
    }
    if (heapSize > 2 * byId.size() + SCAN_BELOW) {
      rebuild();
    }
    return current == null ? DiscoveryState.Upsert.INSERTED : DiscoveryState.Upsert.REPLACED;
  }

  /**
   * Up to {@code max} (at most {@link #RECENT_CAPACITY}) entries passing {@code filter} whose ids
   * were inserted most recently and are still present, newest first: O(RECENT_CAPACITY).
   */
  List<KnownPeer> recent(int max, Predicate<KnownPeer> filter) {
    List<KnownPeer> out = new ArrayList<>(Math.min(max, RECENT_CAPACITY));
    Set<PeerId> seen = new HashSet<>();
    Iterator<PeerId> newestFirst = recentlyInserted.descendingIterator();
    while (out.size() < max && newestFirst.hasNext()) {
      PeerId id = newestFirst.next();
      KnownPeer peer = byId.get(id);
      if (peer != null && seen.add(id) && filter.test(peer)) {
        out.add(peer);
      }
    }
    return out;
  }

  boolean remove(PeerId id) {
    return byId.remove(id) != null;
  }

  /** Removes every entry whose timestamp is below {@code minTimestampMs}, telling {@code removed}; returns how many. */
  int cullOlderThan(long minTimestampMs, java.util.function.Consumer<PeerId> removed) {
    int culled = 0;
    while (heapSize > 0 && heap[0].timestampMs() < minTimestampMs) {
      KnownPeer oldest = pop();
      if (byId.get(oldest.peerId()) == oldest) {
        byId.remove(oldest.peerId());
        removed.accept(oldest.peerId());
        culled++;
      }
    }
    return culled;
  }

  /**
   * When the table is large, up to {@code max} distinct random entries passing {@code filter},
   * drawn by rejection from the heap array (uniform among the eligible entries); when it is small
   * or too few draws succeed, every eligible entry (the caller samples those).
   */
  List<KnownPeer> sampleOrEligible(int max, Random random, Predicate<KnownPeer> filter) {
    if (byId.size() > Math.max(SCAN_BELOW, 4L * max)) {
      List<KnownPeer> picked = new ArrayList<>(max);
      Set<PeerId> seen = new HashSet<>();
      long attempts = 8L * max + SCAN_BELOW;
      // every slot is live (and distinct) when the heap holds exactly the table's entries
      boolean allLive = heapSize == byId.size();
      for (long a = 0; a < attempts && picked.size() < max; a++) {
        KnownPeer candidate = heap[random.nextInt(heapSize)];
        if (filter.test(candidate) && (allLive || byId.get(candidate.peerId()) == candidate)
            && seen.add(candidate.peerId())) {
          picked.add(candidate);
        }
      }
      if (picked.size() == max) {
        return picked;
      }
    }
    List<KnownPeer> eligible = new ArrayList<>();
    for (KnownPeer p : byId.values()) {
      if (filter.test(p)) {
        eligible.add(p);
      }
    }
    return eligible;
  }

  private void push(KnownPeer peer) {
    if (heapSize == heap.length) {
      heap = java.util.Arrays.copyOf(heap, heap.length * 2);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent].timestampMs() <= peer.timestampMs()) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = peer;
  }

  private KnownPeer pop() {
    KnownPeer top = heap[0];
    KnownPeer last = heap[--heapSize];
    heap[heapSize] = null;
    if (heapSize > 0) {
      siftDown(0, last);
    }
    return top;
  }

  private void siftDown(int start, KnownPeer peer) {
    int i = start;
    int half = heapSize >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < heapSize && heap[right].timestampMs() < heap[child].timestampMs()) {
        child = right;
      }
      if (peer.timestampMs() <= heap[child].timestampMs()) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = peer;
  }

  /** Drops dead slots: the heap becomes the live entries, heapified in O(n). */
  private void rebuild() {
    heap = byId.values().toArray(new KnownPeer[Math.max(16, 2 * byId.size())]);
    heapSize = byId.size();
    for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
      siftDown(i, heap[i]);
    }
  }
}
