package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RateLimiter}: a token bucket per peer on a fake clock. */
class RateLimiterTest {

  private final FakeClock clock = new FakeClock();
  private final PeerId peer = Infos.randomPeerId();

  private static int tracked(RateLimiter limiter) throws ReflectiveOperationException {
    Field field = RateLimiter.class.getDeclaredField("buckets");
    field.setAccessible(true);
    return ((Map<?, ?>) field.get(limiter)).size();
  }

  /** Verifies that a peer gets a burst of requests and is then refused. */
  @Test
  void allowsABurstThenRefuses() {
    RateLimiter limiter = new RateLimiter(2.0, 10, clock);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire(peer)).as("request %d", i).isTrue();
    }
    assertThat(limiter.tryAcquire(peer)).isFalse();
    assertThat(limiter.tryAcquire(peer)).isFalse();
  }

  /** Verifies that tokens refill at perSecond and never beyond the burst. */
  @Test
  void refillsOverTimeUpToTheBurst() {
    RateLimiter limiter = new RateLimiter(2.0, 10, clock);
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire(peer);
    }
    clock.advance(499);
    assertThat(limiter.tryAcquire(peer)).isFalse();
    clock.advance(1); // 500 ms at 2/s: one token
    assertThat(limiter.tryAcquire(peer)).isTrue();
    assertThat(limiter.tryAcquire(peer)).isFalse();

    clock.advance(60_000); // a minute: capped at the burst
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire(peer)).isTrue();
    }
    assertThat(limiter.tryAcquire(peer)).isFalse();
  }

  /** Verifies that a clock going backwards neither adds nor removes tokens. */
  @Test
  void clockGoingBackwardsAddsNoTokens() {
    RateLimiter limiter = new RateLimiter(2.0, 1, clock);
    assertThat(limiter.tryAcquire(peer)).isTrue();
    clock.advance(-10_000);
    assertThat(limiter.tryAcquire(peer)).isFalse();
  }

  /** Verifies that each peer has its own bucket. */
  @Test
  void peersAreLimitedSeparately() {
    RateLimiter limiter = new RateLimiter(1.0, 2, clock);
    PeerId other = Infos.randomPeerId();
    assertThat(limiter.tryAcquire(peer)).isTrue();
    assertThat(limiter.tryAcquire(peer)).isTrue();
    assertThat(limiter.tryAcquire(peer)).isFalse();
    assertThat(limiter.tryAcquire(other)).isTrue();
    assertThat(limiter.tryAcquire(other)).isTrue();
    assertThat(limiter.tryAcquire(other)).isFalse();
  }

  /** Verifies that full buckets are forgotten once 10,000 peers are tracked, so the table stays bounded. */
  @Test
  void tableIsBoundedByForgettingFullBuckets() throws Exception {
    RateLimiter limiter = new RateLimiter(2.0, 10, clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.tryAcquire(Infos.randomPeerId())).isTrue();
    }
    assertThat(tracked(limiter)).isEqualTo(10_000);

    clock.advance(1_000); // every bucket has refilled
    assertThat(limiter.tryAcquire(peer)).isTrue();

    assertThat(tracked(limiter)).isEqualTo(1);
  }

  /** Verifies that a rate-limited peer is not forgotten (and so not given a fresh burst) when the table is full. */
  @Test
  void limitedPeerKeepsItsEmptyBucketWhenTheTableIsFull() {
    RateLimiter limiter = new RateLimiter(2.0, 10, clock);
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire(peer);
    }
    for (int i = 0; i < 9_999; i++) {
      limiter.tryAcquire(Infos.randomPeerId());
    }
    limiter.tryAcquire(Infos.randomPeerId()); // a newcomer triggers eviction

    assertThat(limiter.tryAcquire(peer)).isFalse();
  }
}
