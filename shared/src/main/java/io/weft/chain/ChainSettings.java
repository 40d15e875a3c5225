package io.weft.chain;

import java.util.Set;

/** The frozen settings of a {@link ChainBuilder}, shared by the chains and producers it makes. */
record ChainSettings(int committeeSize, int epochLength, int blocksPerCommit, int payloadBytes,
    long seed, Set<Long> forgeSignatureAt, Set<Long> wrongPreviousDigestAt,
    Set<Long> noQuorumAt, Set<Long> blockRefMismatchAt, Set<Long> wrongEpochAt) {

  private static final long BASE_TIMESTAMP_MS = 1_700_000_000_000L;
  private static final long DAY_MS = 86_400_000L;

  ChainSettings {
    if (committeeSize < 1) {
      throw new IllegalArgumentException("committee size must be at least 1, got "
          + committeeSize);
    }
    if (epochLength < 1) {
      throw new IllegalArgumentException("epoch length must be at least 1, got " + epochLength);
    }
    if (blocksPerCommit < 1 || blocksPerCommit > committeeSize) {
      throw new IllegalArgumentException("blocks per commit must be in 1.." + committeeSize
          + " (the committee size), got " + blocksPerCommit);
    }
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("payload bytes must not be negative, got "
          + payloadBytes);
    }
    forgeSignatureAt = Set.copyOf(forgeSignatureAt);
    wrongPreviousDigestAt = Set.copyOf(wrongPreviousDigestAt);
    noQuorumAt = Set.copyOf(noQuorumAt);
    blockRefMismatchAt = Set.copyOf(blockRefMismatchAt);
    wrongEpochAt = Set.copyOf(wrongEpochAt);
  }

  /**
   * Commit 0's timestamp; commit (and round) i is {@code i} seconds later. It varies with the
   * seed within one day of a fixed instant, because commit 0 has no other field that could
   * tell chains of different seeds apart (their genesis digests would otherwise be equal).
   */
  long genesisTimestampMs() {
    return BASE_TIMESTAMP_MS + Math.floorMod(mix(3, 0, 0), DAY_MS);
  }

  /** The epoch of commit (and round) {@code index}: 0 for genesis and 1..L, 1 for L+1..2L... */
  long epochOf(long index) {
    return index <= 0 ? 0 : (index - 1) / epochLength;
  }

  /** The last commit index of {@code epoch} by the schedule: {@code (epoch + 1) * L}. */
  long lastIndexOfEpoch(long epoch) {
    return (epoch + 1) * epochLength;
  }

  /** Whether commit {@code index} (>= 1) is the last of its epoch. */
  boolean endsEpoch(long index) {
    return index >= 1 && index % epochLength == 0;
  }

  /** Whether another builder's chains can be continued with these settings. */
  boolean sameChainAs(ChainSettings other) {
    return committeeSize == other.committeeSize && epochLength == other.epochLength
        && seed == other.seed;
  }

  /** SplitMix64 over the seed and three values: a stable, well-spread sub-seed. */
  long mix(long tag, long a, long b) {
    long z = seed;
    for (long v : new long[] {tag, a, b}) {
      z += 0x9E3779B97F4A7C15L ^ v;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
    }
    return z;
  }
}
