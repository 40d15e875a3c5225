package io.weft.reputation;

import static io.weft.reputation.PeerReputationsTest.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.crypto.PeerId;
import org.junit.jupiter.api.Test;

/** The scoring formula. */
class ReputationScoreTest {

  private static final PeerId P = peer(1);

  private static PeerReputation record(long successes, long failures, long offences, long relayOffences,
      double bytesPerSecond) {
    return new PeerReputation(P, successes, failures, offences, relayOffences, 0, bytesPerSecond, -1, 0, 0);
  }

  /** Verifies that an unknown peer (no record, or a record with no outcome) scores neutral, log2(1 + 256). */
  @Test
  void unknownPeersAreNeutral() {
    assertThat(ReputationScore.NEUTRAL).isCloseTo(8.0056, within(1e-4));
    assertThat(ReputationScore.of(null)).isEqualTo(ReputationScore.NEUTRAL);
    assertThat(ReputationScore.of(PeerReputation.fresh(P, 0))).isEqualTo(ReputationScore.NEUTRAL);
  }

  /** Verifies that throughput dominates: each doubling adds a point; a fast proven peer beats a stranger, a slow one does not. */
  @Test
  void throughputDominates() {
    double fast = ReputationScore.of(record(10, 0, 0, 0, 1023 * 1024));     // 1023 KiB/s
    double slow = ReputationScore.of(record(10, 0, 0, 0, 15 * 1024));       // 15 KiB/s
    assertThat(fast).isCloseTo(10, within(1e-9));
    assertThat(slow).isCloseTo(4, within(1e-9));
    assertThat(fast).isGreaterThan(ReputationScore.NEUTRAL).isGreaterThan(slow);
    assertThat(ReputationScore.weight(record(10, 0, 0, 0, 1023 * 1024)))
        .isCloseTo(64 * ReputationScore.weight(record(10, 0, 0, 0, 15 * 1024)), within(1e-6));
  }

  /** Verifies the penalties: 3 × share of failures, 4 per verification offence, 2 per relay offence. */
  @Test
  void failuresAndOffencesSubtract() {
    double base = ReputationScore.of(record(10, 0, 0, 0, 1023 * 1024));
    assertThat(ReputationScore.of(record(10, 10, 0, 0, 1023 * 1024))).isCloseTo(base - 1.5, within(1e-9));
    assertThat(ReputationScore.of(record(10, 0, 2, 0, 1023 * 1024))).isCloseTo(base - 8, within(1e-9));
    assertThat(ReputationScore.of(record(10, 0, 0, 1, 1023 * 1024))).isCloseTo(base - 2, within(1e-9));
    // never served, always failed: neutral minus 3
    assertThat(ReputationScore.of(record(0, 4, 0, 0, 0))).isCloseTo(ReputationScore.NEUTRAL - 3, within(1e-9));
    // a forger that served fast still ranks below a stranger after one offence... and far below after three
    assertThat(ReputationScore.of(record(3, 0, 3, 0, 8 * 1024 * 1024))).isLessThan(ReputationScore.NEUTRAL);
    assertThat(ReputationScore.weight(record(0, 0, 1000, 1000, 0))).isPositive();
  }
}
