package io.weft.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation.Offence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared reputation table: outcomes, strikes and denials, change tracking and the bound. */
class PeerReputationsTest {

  private static final long T0 = 1_700_000_000_000L;

  static PeerId peer(int n) {
    byte[] bytes = new byte[PeerId.LENGTH];
    Arrays.fill(bytes, (byte) (n & 0xff));
    bytes[0] = (byte) (n >> 8);
    return PeerId.of(bytes);
  }

  private static ReputationPolicy policyWithMax(int maxPeers) {
    return new ReputationPolicy(maxPeers, 0.1, 3, 60_000);
  }

  /** Verifies that served batches give a smoothed throughput, failures and RTTs are counted, and last seen follows. */
  @Test
  void outcomesAreRecorded() {
    PeerReputations table = new PeerReputations();
    PeerId a = peer(1);

    table.served(a, 100_000, 100, T0);        // 1,000,000 B/s
    table.served(a, 10_000, 100, T0 + 10);    // 100,000 B/s → 0.7 × 1e6 + 0.3 × 1e5
    table.failed(a, T0 + 20);
    table.rtt(a, 40, T0 + 30);
    table.rtt(a, 80, T0 + 40);

    PeerReputation r = table.get(a).orElseThrow();
    assertThat(r.successes()).isEqualTo(2);
    assertThat(r.failures()).isEqualTo(1);
    assertThat(r.bytesPerSecond()).isCloseTo(730_000, within(1e-6));
    assertThat(r.rttMs()).isCloseTo(52, within(1e-9));
    assertThat(r.lastSeenMs()).isEqualTo(T0 + 40);
    assertThat(r.proven()).isTrue();
    assertThat(table.get(peer(2))).isEmpty();
  }

  /**
   * Verifies that the maxStrikes-th offence since the last deny denies the peer (returning until
   * when) and restarts its strikes, that relay offences and sync offences share strikes but are
   * counted apart, and that a deny ends at its instant.
   */
  @Test
  void strikesDenyAndDeniesEnd() {
    PeerReputations table = new PeerReputations();
    PeerId a = peer(1);

    assertThat(table.offence(a, Offence.VERIFICATION, 3, 60_000, T0)).isEqualTo(-1);
    assertThat(table.offence(a, Offence.RELAY, 3, 60_000, T0 + 1)).isEqualTo(-1);
    assertThat(table.strikes(a)).isEqualTo(2);
    assertThat(table.isDenied(a, T0 + 2)).isFalse();
    assertThat(table.offence(a, Offence.VERIFICATION, 3, 60_000, T0 + 2)).isEqualTo(T0 + 60_002);

    PeerReputation r = table.get(a).orElseThrow();
    assertThat(r.offences()).isEqualTo(2);
    assertThat(r.relayOffences()).isEqualTo(1);
    assertThat(r.strikes()).isZero();
    assertThat(table.isDenied(a, T0 + 60_001)).isTrue();
    assertThat(table.isDenied(a, T0 + 60_002)).isFalse();
    assertThat(table.denied(T0 + 10)).extracting(PeerReputation::peerId).containsExactly(a);

    // an offence while denied (an answer already on its way) counts, but is no strike and no new deny
    assertThat(table.offence(a, Offence.VERIFICATION, 1, 60_000, T0 + 3)).isEqualTo(-1);
    assertThat(table.get(a).orElseThrow().offences()).isEqualTo(3);
    assertThat(table.get(a).orElseThrow().deniedUntilMs()).isEqualTo(T0 + 60_002);

    // a later, shorter deny does not shorten the one in force
    table.deny(a, T0 + 5, T0 + 3);
    assertThat(table.get(a).orElseThrow().deniedUntilMs()).isEqualTo(T0 + 60_002);

    assertThat(table.expireDenials(T0 + 60_001)).isZero();
    assertThat(table.expireDenials(T0 + 60_002)).isEqualTo(1);
    assertThat(table.get(a).orElseThrow().deniedUntilMs()).isZero();
    assertThat(table.get(a).orElseThrow().offences()).as("lifetime counts stay").isEqualTo(3);
  }

  /** Verifies that changes are handed out once, restored records are not changes, and a requeue hands them out again. */
  @Test
  void changesAreTakenOnceAndRequeued() {
    PeerReputations table = new PeerReputations();
    table.restore(List.of(PeerReputation.fresh(peer(9), T0)), T0);
    assertThat(table.takeChanges().isEmpty()).isTrue();

    table.served(peer(1), 1_000, 10, T0);
    table.failed(peer(2), T0);
    table.failed(peer(1), T0 + 1);
    PeerReputations.Changes changes = table.takeChanges();
    assertThat(changes.upserts()).extracting(PeerReputation::peerId).containsExactly(peer(1), peer(2));
    assertThat(changes.upserts().get(0).failures()).isEqualTo(1);
    assertThat(table.takeChanges().isEmpty()).isTrue();

    table.requeue(changes);
    assertThat(table.takeChanges().upserts()).hasSize(2);
  }

  /**
   * Verifies the bound: past maxPeers the table evicts down to 90 %, first records of peers that
   * are not denied, have no offences and never served, oldest first; evicted ids are handed out as
   * removals; the size never stays above the bound.
   */
  @Test
  void evictsTheLeastUsefulBeyondTheBound() {
    PeerReputations table = new PeerReputations(policyWithMax(10));
    PeerId denied = peer(1);
    PeerId offender = peer(2);
    PeerId server = peer(3);
    table.offence(denied, Offence.VERIFICATION, 1, 1_000_000, T0);
    table.offence(offender, Offence.RELAY, 3, 1_000_000, T0);
    table.served(server, 1_000, 10, T0);
    List<PeerId> strangers = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      PeerId p = peer(100 + i);
      strangers.add(p);
      table.rtt(p, 10, T0 + 100 + i);        // seen later than the three above
    }
    assertThat(table.size()).isEqualTo(10);
    table.takeChanges();

    table.rtt(peer(200), 10, T0 + 1_000);     // the 11th record
    assertThat(table.size()).isEqualTo(9);
    PeerReputations.Changes changes = table.takeChanges();
    // two evicted: the oldest strangers, never the denied peer, the offender or the proven server
    assertThat(changes.removals()).containsExactly(strangers.get(0), strangers.get(1));
    assertThat(table.get(denied)).isPresent();
    assertThat(table.get(offender)).isPresent();
    assertThat(table.get(server)).isPresent();
    assertThat(table.get(peer(200))).isPresent();

    for (int i = 0; i < 50; i++) {
      table.rtt(peer(300 + i), 10, T0 + 2_000 + i);
      assertThat(table.size()).isLessThanOrEqualTo(10);
    }
    assertThat(table.get(denied)).as("a flood of new ids does not wash out a deny").isPresent();
    assertThat(table.get(offender)).isPresent();
  }

  /** Verifies that restoring more records than the bound keeps the most useful ones and marks the rest for removal. */
  @Test
  void restoreAppliesTheBound() {
    PeerReputations table = new PeerReputations(policyWithMax(4));
    List<PeerReputation> persisted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      persisted.add(PeerReputation.fresh(peer(i), T0 + i));
    }
    persisted.set(0, new PeerReputation(peer(0), 5, 0, 0, 0, 0, 1e6, 10, 0, T0));
    table.restore(persisted, T0 + 10);

    assertThat(table.size()).isLessThanOrEqualTo(4);
    assertThat(table.get(peer(0))).as("the proven server is kept").isPresent();
    assertThat(table.takeChanges().removals()).contains(peer(1), peer(2));
  }
}
