package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RedialBackoff} on its own: exponential, jittered, capped, reset on success. */
class RedialBackoffTest {

  private static final long MIN = 1_000;
  private static final long MAX = 16_000;
  private static final long NOW = FakeClock.START;

  /** A Random whose nextDouble() is fixed, to pin the jitter to either end of its range. */
  private static Random fixed(double value) {
    return new Random() {
      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private final PeerId peer = Infos.randomPeerId();

  /** Verifies that consecutive failures double the nominal delay up to redialMaxMs, each delay within [nominal/2, nominal]. */
  @Test
  void consecutiveFailuresGrowTheDelayUpToTheMax() {
    long[] nominal = {1_000, 2_000, 4_000, 8_000, 16_000, 16_000, 16_000, 16_000};
    for (long seed = 0; seed < 20; seed++) {
      RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(seed));
      for (long expected : nominal) {
        long delay = backoff.failed(peer, NOW);
        assertThat(delay).isBetween(expected / 2, expected);
      }
    }
  }

  /** Verifies that the jitter's extremes give exactly nominal/2 and just under nominal. */
  @Test
  void jitterStaysWithinHalfToFullNominal() {
    RedialBackoff low = new RedialBackoff(MIN, MAX, fixed(0.0));
    RedialBackoff high = new RedialBackoff(MIN, MAX, fixed(Math.nextDown(1.0)));
    long[] nominal = {1_000, 2_000, 4_000, 8_000, 16_000, 16_000};
    for (long expected : nominal) {
      assertThat(low.failed(peer, NOW)).isEqualTo(expected / 2);
      assertThat(high.failed(peer, NOW)).isBetween(expected - 1, expected);
    }
  }

  /** Verifies that many failures never overflow past the cap (the shift is bounded). */
  @Test
  void manyFailuresStayCapped() {
    RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(1));
    for (int i = 1; i <= 200; i++) {
      long delay = backoff.failed(peer, NOW);
      if (i >= 5) { // 1 s, 2 s, 4 s, 8 s, then 16 s for ever
        assertThat(delay).as("failure %d", i).isBetween(MAX / 2, MAX);
      }
    }
  }

  /** Verifies that a peer may be dialled again exactly when its delay has passed. */
  @Test
  void mayDialOnlyOnceTheDelayHasPassed() {
    RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(7));
    assertThat(backoff.mayDial(peer, NOW)).isTrue();
    long delay = backoff.failed(peer, NOW);
    assertThat(backoff.mayDial(peer, NOW)).isFalse();
    assertThat(backoff.mayDial(peer, NOW + delay - 1)).isFalse();
    assertThat(backoff.mayDial(peer, NOW + delay)).isTrue();
    assertThat(backoff.mayDial(Infos.randomPeerId(), NOW)).as("other peers unaffected").isTrue();
  }

  /** Verifies that a success resets the backoff to the minimum delay. */
  @Test
  void successResetsTheBackoff() {
    RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(3));
    for (int i = 0; i < 6; i++) {
      backoff.failed(peer, NOW);
    }
    backoff.succeeded(peer);
    assertThat(backoff.mayDial(peer, NOW)).isTrue();
    assertThat(backoff.failed(peer, NOW)).isBetween(MIN / 2, MIN);
  }

  /** Verifies that holdOff keeps the peer back for exactly redialMaxMs, and a later failure stays at the cap. */
  @Test
  void holdOffWaitsTheMaxDelay() {
    RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(5));
    backoff.holdOff(peer, NOW);
    assertThat(backoff.mayDial(peer, NOW + MAX - 1)).isFalse();
    assertThat(backoff.mayDial(peer, NOW + MAX)).isTrue();
    assertThat(backoff.failed(peer, NOW + MAX)).isBetween(MAX / 2, MAX);
  }

  /** Verifies that retainOnly forgets the backoff of peers no longer known. */
  @Test
  void retainOnlyForgetsUnknownPeers() {
    RedialBackoff backoff = new RedialBackoff(MIN, MAX, new Random(9));
    PeerId kept = Infos.randomPeerId();
    backoff.failed(peer, NOW);
    backoff.failed(kept, NOW);
    backoff.retainOnly(Set.of(kept));
    assertThat(backoff.mayDial(peer, NOW)).isTrue();
    assertThat(backoff.mayDial(kept, NOW)).isFalse();
  }

  /** Verifies that a max below the min is raised to the min. */
  @Test
  void maxBelowMinIsRaisedToMin() {
    RedialBackoff backoff = new RedialBackoff(4_000, 1_000, fixed(0.0));
    assertThat(backoff.failed(peer, NOW)).isEqualTo(2_000);
    assertThat(backoff.failed(peer, NOW)).isEqualTo(2_000);
  }
}
