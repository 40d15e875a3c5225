package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputations;
import io.weft.reputation.ReputationPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Peer choice by round-trip time and per-peer in-flight cap. */
class PeerSelectorTest {

  private static final PeerId FAST = peer(1);
  private static final PeerId QUICK = peer(2);
  private static final PeerId SLOW = peer(3);

  private static Map<PeerId, Integer> draw(PeerSelector selector, List<PeerId> candidates, int n) {
    Map<PeerId, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PeerId chosen = selector.choose(candidates);
      counts.merge(chosen, 1, Integer::sum);
    }
    return counts;
  }

  /** Verifies that the choice is random between the two lowest-RTT peers and a slow third one is never picked while they have room. */
  @Test
  void picksBetweenTheTwoFastestAndNeverTheSlowOne() {
    PeerSelector selector = new PeerSelector(new Random(7), 3);
    selector.recordRtt(FAST, 5);
    selector.recordRtt(QUICK, 40);
    selector.recordRtt(SLOW, 2_000);

    Map<PeerId, Integer> counts = draw(selector, List.of(SLOW, QUICK, FAST), 2_000);

    assertThat(counts).doesNotContainKey(SLOW);
    assertThat(counts.get(FAST)).isBetween(800, 1_200);
    assertThat(counts.get(QUICK)).isBetween(800, 1_200);
  }

  /** Verifies that a single candidate is always chosen and an empty candidate list gives null. */
  @Test
  void aSingleCandidateIsChosenAndNoneGivesNull() {
    PeerSelector selector = new PeerSelector(new Random(7), 3);
    assertThat(selector.choose(List.of())).isNull();
    assertThat(draw(selector, List.of(SLOW), 50)).containsOnlyKeys(SLOW);
  }

  /** Verifies the per-peer cap: a peer with maxPerPeer batches in flight is skipped until one finishes, and none with room gives null. */
  @Test
  void aPeerAtItsCapIsSkippedUntilABatchFinishes() {
    PeerSelector selector = new PeerSelector(new Random(7), 2);
    selector.recordRtt(FAST, 5);
    selector.recordRtt(QUICK, 40);
    selector.recordRtt(SLOW, 2_000);
    List<PeerId> all = List.of(FAST, QUICK, SLOW);

    selector.started(FAST);
    selector.started(FAST);
    assertThat(draw(selector, all, 500)).doesNotContainKey(FAST).containsKeys(QUICK, SLOW);

    selector.started(QUICK);
    selector.started(QUICK);
    assertThat(draw(selector, all, 50)).containsOnlyKeys(SLOW);

    selector.started(SLOW);
    selector.started(SLOW);
    assertThat(selector.choose(all)).isNull();

    selector.finished(FAST);
    assertThat(draw(selector, all, 50)).containsOnlyKeys(FAST);
  }

  /** Verifies that RTT is an exponentially weighted average (weight 0.3) and unknown peers count as 1 s. */
  @Test
  void rttIsAWeightedAverage() {
    PeerSelector selector = new PeerSelector(new Random(7), 2);
    assertThat(selector.rtt(FAST)).isEqualTo(1_000.0);
    selector.recordRtt(FAST, 100);
    selector.recordRtt(FAST, 200);
    assertThat(selector.rtt(FAST)).isCloseTo(130.0, org.assertj.core.data.Offset.offset(1e-9));
    selector.forget(FAST);
    assertThat(selector.rtt(FAST)).isEqualTo(1_000.0);
  }

  /**
   * Verifies that proven peers are chosen in proportion to the throughput they served (weights
   * 1 + KiB/s: 3,001 vs 1,001), whatever their round-trip times.
   */
  @Test
  void provenPeersAreChosenInProportionToServedThroughput() {
    PeerReputations reputations = new PeerReputations();
    reputations.served(FAST, 3_000 * 1024, 1_000, 0);
    reputations.served(SLOW, 1_000 * 1024, 1_000, 0);
    PeerSelector selector = new PeerSelector(new Random(7), 3, reputations);
    selector.recordRtt(FAST, 2_000);
    selector.recordRtt(SLOW, 5);

    Map<PeerId, Integer> counts = draw(selector, List.of(SLOW, FAST), 20_000);

    assertThat(counts.get(FAST) / (double) counts.get(SLOW)).isBetween(2.7, 3.3);
  }

  /**
   * Verifies exploration: with one proven peer and one whose throughput is unknown, the unknown
   * one gets about the exploration share (10 %) of the choices; with a rate of 0, none.
   */
  @Test
  void unknownPeersGetTheExplorationShare() {
    PeerReputations reputations = new PeerReputations();
    reputations.served(FAST, 1024, 1_000, 0);
    PeerSelector selector = new PeerSelector(new Random(7), 3, reputations);

    Map<PeerId, Integer> counts = draw(selector, List.of(FAST, QUICK), 20_000);
    assertThat(counts.get(QUICK)).isBetween(1_700, 2_300);

    PeerReputations noExploration = new PeerReputations(new ReputationPolicy(100, 0, 3, 1_000));
    noExploration.served(FAST, 1024, 1_000, 0);
    assertThat(draw(new PeerSelector(new Random(7), 3, noExploration), List.of(FAST, QUICK), 1_000))
        .containsOnlyKeys(FAST);
  }

  /** Verifies that a proven peer at its in-flight cap leaves the choice to the others, unknown ones included. */
  @Test
  void aProvenPeerAtItsCapLeavesRoomToOthers() {
    PeerReputations reputations = new PeerReputations();
    reputations.served(FAST, 10_000 * 1024, 1_000, 0);
    PeerSelector selector = new PeerSelector(new Random(7), 1, reputations);
    selector.started(FAST);

    assertThat(draw(selector, List.of(FAST, QUICK), 100)).containsOnlyKeys(QUICK);
  }
}
