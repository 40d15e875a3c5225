package io.weft.discovery;

import io.weft.proto.DataRange;

/**
 * The commits a node says it can serve, from its signed node info: {@code lowest..highest}, both
 * included (commit 0, the genesis, is always served too). Discovery uses it to prefer peers that
 * hold what sync still needs.
 */
public record CommitRange(long lowest, long highest) {

  /** Checks {@code 0 <= lowest <= highest}. */
  public CommitRange {
    if (lowest < 0 || highest < lowest) {
      throw new IllegalArgumentException("bad commit range " + lowest + ".." + highest);
    }
  }

  /** Whether {@code index} lies in this range. */
  public boolean covers(long index) {
    return index >= lowest && index <= highest;
  }

  /** As the wire message carried in a NodeInfo. */
  public DataRange toProto() {
    return DataRange.newBuilder().setLowestAvailableCommit(lowest).setHighestSyncedCommit(highest).build();
  }

  @Override
  public String toString() {
    return lowest + ".." + highest;
  }
}
