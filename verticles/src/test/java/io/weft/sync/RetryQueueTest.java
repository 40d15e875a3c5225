package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The order in which {@link RetryQueue} gives ranges back. */
class RetryQueueTest {

  private final RetryQueue retry = new RetryQueue();

  /** Verifies that ranges come back lowest first, whatever order they were queued in. */
  @Test
  void theLowestRangeGoesFirst() {
    retry.add(new FetchRange(300, 399));
    retry.add(new FetchRange(100, 199));
    retry.add(new FetchRange(200, 299));

    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(new FetchRange(100, 199));
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(new FetchRange(200, 299));
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(new FetchRange(300, 399));
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isNull();
  }

  /** Verifies that of two ranges with one start only the longer is kept, in either order. */
  @Test
  void ofTwoRangesWithOneStartTheLongerIsKept() {
    retry.add(new FetchRange(100, 149));
    retry.add(new FetchRange(100, 199));
    retry.add(new FetchRange(100, 120));

    assertThat(retry.size()).isEqualTo(1);
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(new FetchRange(100, 199));
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isNull();
  }

  /** Verifies that a range starting above the executors' limit stays queued until the limit reaches it. */
  @Test
  void aRangeAboveTheLimitWaits() {
    retry.add(new FetchRange(100, 199));

    assertThat(retry.pollLowest(99)).isNull();
    assertThat(retry.size()).isEqualTo(1);
    assertThat(retry.pollLowest(100)).isEqualTo(new FetchRange(100, 199));
    assertThat(retry.size()).isZero();
  }
}
