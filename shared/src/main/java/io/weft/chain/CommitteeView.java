package io.weft.chain;

import io.weft.proto.chain.Authority;
import io.weft.proto.chain.Committee;
import io.weft.crypto.NetworkKey;

/**
 * An immutable, validated view of a {@link Committee}: the authorities of one epoch in
 * author-index order, their stakes and protocol keys.
 *
 * <p>A quorum is more than 2/3 of the total stake: {@code totalStake * 2 / 3 + 1} in integer
 * arithmetic (3 of 4 when every stake is 1). Thread-safe.
 */
public final class CommitteeView {

  private final Committee proto;
  private final long epoch;
  private final long[] stakes;
  private final byte[][] keys;
  private final long totalStake;
  private final long quorumThreshold;

  private CommitteeView(Committee proto) {
    this.proto = proto;
    this.epoch = proto.getEpoch();
    int size = proto.getAuthoritiesCount();
    this.stakes = new long[size];
    this.keys = new byte[size][];
    long total = 0;
    for (int i = 0; i < size; i++) {
      Authority authority = proto.getAuthorities(i);
      long stake = authority.getStake();
      if (stake <= 0) {
        throw new IllegalArgumentException("authority " + i + " of the epoch "
            + Long.toUnsignedString(epoch) + " committee has stake "
            + Long.toUnsignedString(stake) + "; stakes must be positive and below 2^63");
      }
      if (authority.getProtocolKey().size() != NetworkKey.PUBLIC_KEY_LENGTH) {
        throw new IllegalArgumentException("authority " + i + " of the epoch "
            + Long.toUnsignedString(epoch) + " committee has a protocol key of "
            + authority.getProtocolKey().size() + " bytes instead of "
            + NetworkKey.PUBLIC_KEY_LENGTH);
      }
      stakes[i] = stake;
      keys[i] = authority.getProtocolKey().toByteArray();
      total += stake;
      if (total < 0 || total > Long.MAX_VALUE / 2) {
        throw new IllegalArgumentException("the epoch " + Long.toUnsignedString(epoch)
            + " committee's total stake is too large");
      }
    }
    this.totalStake = total;
    this.quorumThreshold = total * 2 / 3 + 1;
  }

  /**
   * Validates and wraps {@code committee}.
   *
   * @throws IllegalArgumentException if it has no authorities, a protocol key that is not
   *     32 bytes, or a stake that is zero (or does not fit a signed long)
   */
  public static CommitteeView of(Committee committee) {
    if (committee == null || committee.getAuthoritiesCount() == 0) {
      throw new IllegalArgumentException("a committee needs at least one authority");
    }
    return new CommitteeView(committee);
  }

  /** The epoch this committee serves. */
  public long epoch() {
    return epoch;
  }

  /** Number of authorities; author indexes are {@code 0..size()-1}. */
  public int size() {
    return stakes.length;
  }

  /**
   * The stake of {@code author}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= author < size()}
   */
  public long stake(int author) {
    return stakes[author];
  }

  /**
   * A copy of the 32-byte Ed25519 protocol key of {@code author}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= author < size()}
   */
  public byte[] protocolKey(int author) {
    return keys[author].clone();
  }

  /** The key without copying, for verification inside this package. */
  byte[] protocolKeyUnsafe(int author) {
    return keys[author];
  }

  /** Whether {@code author} (an unsigned 32-bit index) names a member. */
  public boolean contains(long author) {
    return author >= 0 && author < stakes.length;
  }

  /** Sum of all stakes. */
  public long totalStake() {
    return totalStake;
  }

  /** The least stake that is more than 2/3 of the total: {@code totalStake * 2 / 3 + 1}. */
  public long quorumThreshold() {
    return quorumThreshold;
  }

  /** Whether {@code stake} reaches {@link #quorumThreshold()}. */
  public boolean reachesQuorum(long stake) {
    return stake >= quorumThreshold;
  }

  /** The wrapped committee. */
  public Committee proto() {
    return proto;
  }

  @Override
  public String toString() {
    return "Committee[epoch " + Long.toUnsignedString(epoch) + ", " + size()
        + " authorities, total stake " + totalStake + ", quorum " + quorumThreshold + "]";
  }
}
