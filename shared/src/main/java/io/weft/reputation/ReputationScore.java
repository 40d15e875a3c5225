package io.weft.reputation;

/**
 * The one scoring formula, in "doublings of throughput": higher is better.
 *
 * <pre>
 *   score = T − 3 × failures / (successes + failures) − 4 × offences − 2 × relayOffences
 *   T     = log2(1 + smoothed KiB/s served)   for a peer that served at least one batch
 *         = NEUTRAL = log2(1 + 256) ≈ 8.0     otherwise (as if it served 256 KiB/s)
 * </pre>
 *
 * Served throughput dominates: each doubling of it adds one point. A peer that always fails loses
 * 3 points (as if 8× slower), each verification offence 4 (16× slower), each relayed invalid node
 * info 2 (4× slower). A peer we know nothing of scores {@link #NEUTRAL}, so proven fast peers rank
 * above strangers and strangers above slow or dishonest peers. {@link #weight} turns a score back
 * into a positive weight proportional to served throughput, for weighted random choice.
 */
public final class ReputationScore {

  /** The throughput a peer we know nothing of is credited with, in KiB/s. */
  public static final double NEUTRAL_KIB_PER_SECOND = 256;
  /** The score of a peer we know nothing of. */
  public static final double NEUTRAL = log2(1 + NEUTRAL_KIB_PER_SECOND);
  /** Points lost by a peer whose every fetch failed (scaled by its share of failures). */
  public static final double FAILURE_WEIGHT = 3;
  /** Points lost per verification offence (forged or invalid sync data). */
  public static final double OFFENCE_WEIGHT = 4;
  /** Points lost per relayed node info that failed verification. */
  public static final double RELAY_OFFENCE_WEIGHT = 2;

  private ReputationScore() {
  }

  /** The score of {@code reputation}; {@link #NEUTRAL} for null (never heard of). */
  public static double of(PeerReputation reputation) {
    if (reputation == null) {
      return NEUTRAL;
    }
    double throughput = reputation.proven() ? log2(1 + reputation.bytesPerSecond() / 1024) : NEUTRAL;
    long attempts = reputation.successes() + reputation.failures();
    double failureShare = attempts == 0 ? 0 : (double) reputation.failures() / attempts;
    return throughput - FAILURE_WEIGHT * failureShare - OFFENCE_WEIGHT * reputation.offences()
        - RELAY_OFFENCE_WEIGHT * reputation.relayOffences();
  }

  /**
   * {@code 2^score}: for a peer with neither failures nor offences, 1 + its KiB/s; each lost point
   * halves it. Always positive.
   */
  public static double weight(PeerReputation reputation) {
    return Math.max(Double.MIN_NORMAL, Math.pow(2, of(reputation)));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
