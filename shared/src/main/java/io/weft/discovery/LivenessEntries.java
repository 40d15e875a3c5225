package io.weft.discovery;

import java.util.Random;
import java.util.function.IntPredicate;

/**
 * The entries of one {@link LivenessTable}, by 64-bit peer-id prefix
 * ({@link io.weft.crypto.PeerId#prefix64}): open addressing over parallel arrays, no object per
 * entry, so 10,000 tables of 10,000 peers leave the collector nothing to trace but one peer
 * reference a slot, and a digest's thousands of look-ups touch one cache line each. Linear
 * probing, deletion by backward shift, at most three quarters full (29 bytes a slot, 39 to 77 an
 * entry). An entry is addressed by its slot, valid until the next {@link #add} or
 * {@link #remove}. Not thread-safe (used under {@link DiscoveryState}'s lock).
 */
final class LivenessEntries {

  /** The slot holds an entry. */
  static final int USED = 1;
  /** {@link #peer} is the table's entry of the peer. */
  static final int IN_TABLE = 2;
  /** {@link #peer} is the info held while the peer is silenced. */
  static final int SILENCED = 4;
  /** The peer's info is public (vouched for when in the table). */
  static final int PUBLIC = 8;
  /** The entry has a heard time ({@link #heardAt} is not MIN_VALUE); kept by {@link #set}. */
  static final int HEARD = 16;

  /** longs a slot: prefix, heard at, seen at (side by side: one cache line a look-up). */
  private static final int CELLS = 3;
  private static final int FIRST_CAPACITY = 64;

  private long[] cells = new long[FIRST_CAPACITY * CELLS];
  private KnownPeer[] peers = new KnownPeer[FIRST_CAPACITY];
  private byte[] flags = new byte[FIRST_CAPACITY];
  private int size;
  /** 64 − log₂(capacity): {@link #home} keeps the top bits. */
  private int shift = 64 - Integer.numberOfTrailingZeros(FIRST_CAPACITY);
  private final long hashKey;

  /**
   * @param hashKey XORed into every prefix before hashing: a key nobody else knows (a random one)
   *     keeps ground ids from piling up in one run of slots; tables sharing a key share a slot order
   */
  LivenessEntries(long hashKey) {
    this.hashKey = hashKey;
  }

  int size() {
    return size;
  }

  /** Slots, used or not: iterate {@code 0..capacity()-1} and skip those not {@link #used}. */
  int capacity() {
    return flags.length;
  }

  boolean used(int slot) {
    return flags[slot] != 0;
  }

  /** The slot holding {@code prefix}, or -1. */
  int find(long prefix) {
    int mask = flags.length - 1;
    for (int i = home(prefix); flags[i] != 0; i = (i + 1) & mask) {
      if (cells[i * CELLS] == prefix) {
        return i;
      }
    }
    return -1;
  }

  /** Adds an entry for {@code prefix}, which must not be held yet; returns its slot. */
  int add(long prefix, long heardAt, long seenAt) {
    if (4 * (size + 1) > 3 * flags.length) {
      grow();
    }
    int mask = flags.length - 1;
    int i = home(prefix);
    while (flags[i] != 0) {
      i = (i + 1) & mask;
    }
    cells[i * CELLS] = prefix;
    cells[i * CELLS + 1] = heardAt;
    cells[i * CELLS + 2] = seenAt;
    flags[i] = (byte) (heardAt == Long.MIN_VALUE ? USED : USED | HEARD);
    size++;
    return i;
  }

  /** Removes the entry in {@code slot}; later entries of its run may move into it. */
  void remove(int slot) {
    int mask = flags.length - 1;
    int i = slot;
    clear(i);
    size--;
    for (int j = (i + 1) & mask; flags[j] != 0; j = (j + 1) & mask) {
      int home = home(cells[j * CELLS]);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        System.arraycopy(cells, j * CELLS, cells, i * CELLS, CELLS);
        peers[i] = peers[j];
        flags[i] = flags[j];
        clear(j);
        i = j;
      }
    }
  }

  private void clear(int slot) {
    flags[slot] = 0;
    peers[slot] = null;
  }

  long prefix(int slot) {
    return cells[slot * CELLS];
  }

  long heardAt(int slot) {
    return cells[slot * CELLS + 1];
  }

  void setHeardAt(int slot, long ms) {
    cells[slot * CELLS + 1] = ms;
    flags[slot] = (byte) (ms == Long.MIN_VALUE ? flags[slot] & ~HEARD : flags[slot] | HEARD);
  }

  long seenAt(int slot) {
    return cells[slot * CELLS + 2];
  }

  void setSeenAt(int slot, long ms) {
    cells[slot * CELLS + 2] = ms;
  }

  boolean has(int slot, int flag) {
    return (flags[slot] & flag) != 0;
  }

  KnownPeer peer(int slot) {
    return peers[slot];
  }

  /** Sets the peer of {@code slot} and its flags ({@link #USED} and {@link #HEARD} are kept). */
  void set(int slot, KnownPeer peer, int peerFlags) {
    peers[slot] = peer;
    flags[slot] = (byte) (flags[slot] & (USED | HEARD) | peerFlags);
  }

  /** A slot that holds no entry (there is always one): a run of entries never wraps past it. */
  int emptySlot() {
    int i = 0;
    while (flags[i] != 0) {
      i++;
    }
    return i;
  }

  /**
   * Copies up to {@code out.length} slots having all of {@code required} flags and passing
   * {@code filter} into {@code out}, visiting the slots in order from a random start (wrapping),
   * so a bounded digest of a large table costs about its own size, not the table's, and reads
   * memory in sequence (the flags first); as slots are placed by a hash of the prefix, each
   * passing entry is as likely to be picked as any other. Returns how many.
   */
  int sample(int[] out, int required, IntPredicate filter, Random random) {
    int mask = flags.length - 1;
    int start = random.nextInt(flags.length);
    int n = 0;
    for (int k = 0; k < flags.length && n < out.length; k++) {
      int slot = (start + k) & mask;
      if ((flags[slot] & required) == required && flags[slot] != 0 && filter.test(slot)) {
        out[n++] = slot;
      }
    }
    return n;
  }

  /** The longest run of used slots (a look-up may probe that far): for diagnostics and tests. */
  int longestRun() {
    int longest = 0;
    int run = 0;
    for (int k = 0; k < 2 * flags.length; k++) { // twice round: a run may wrap
      run = flags[k & (flags.length - 1)] != 0 ? run + 1 : 0;
      longest = Math.max(longest, Math.min(run, size));
    }
    return longest;
  }

  private void grow() {
    long[] oldCells = cells;
    KnownPeer[] oldPeers = peers;
    byte[] oldFlags = flags;
    int capacity = oldFlags.length * 2;
    cells = new long[capacity * CELLS];
    peers = new KnownPeer[capacity];
    flags = new byte[capacity];
    shift--;
    size = 0;
    for (int i = 0; i < oldFlags.length; i++) {
      if (oldFlags[i] != 0) {
        int slot = add(oldCells[i * CELLS], oldCells[i * CELLS + 1], oldCells[i * CELLS + 2]);
        peers[slot] = oldPeers[i];
        flags[slot] = oldFlags[i];
      }
    }
  }

  /**
   * Fibonacci hashing of the keyed prefix: the top bits of (prefix XOR key) times 2⁶⁴/φ. Slot
   * order is then the order of that product at every capacity, so between tables with one key a
   * digest sampled in slot order from one is looked up in ascending slot order in the next.
   */
  private int home(long prefix) {
    return (int) (((prefix ^ hashKey) * 0x9E3779B97F4A7C15L) >>> shift);
  }
}
