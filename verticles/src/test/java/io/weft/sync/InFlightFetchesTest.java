package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.sync.InFlightFetches.Fetch;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The books of {@link InFlightFetches}: which answer is current, hedges, and which batches are late. */
class InFlightFetchesTest {

  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final long MIN_DELAY_MS = 100;
  private static final long DEFAULT_DELAY_MS = 1_000;

  /** One batch per peer at most, so the selector shows whether a peer's fetch was finished. */
  private final PeerSelector selector = new PeerSelector(new Random(1), 1);
  private final InFlightFetches fetches =
      new InFlightFetches(selector, new FetchTimings(MIN_DELAY_MS, DEFAULT_DELAY_MS));

  /** Verifies that whichever of a range's two requests answers first wins, and the other becomes stale. */
  @Test
  void theFirstAnswerOfARangeWinsAndItsTwinIsStale() {
    Fetch first = fetches.start(A, new FetchRange(1, 100), false, 0);
    Fetch hedge = fetches.start(B, new FetchRange(1, 100), true, 500);
    assertThat(first.generation()).isLessThan(hedge.generation());
    assertThat(fetches.size()).as("hedges are not counted").isEqualTo(1);
    assertThat(selector.choose(List.of(A, B))).as("both peers busy").isNull();

    Fetch twin = fetches.finish(hedge);
    assertThat(twin).isSameAs(first);
    fetches.cancel(twin);

    assertThat(fetches.isCurrent(first)).isFalse();
    assertThat(fetches.isCurrent(hedge)).isFalse();
    assertThat(fetches.isEmpty()).isTrue();
    assertThat(selector.choose(List.of(A))).isEqualTo(A);
    assertThat(selector.choose(List.of(B))).isEqualTo(B);
  }

  /**
   * Verifies that when a range's first request fails while its hedge is out, the hedge becomes the
   * range's request: counted, and forgotten as a request (whose range goes back to retry) by a stall.
   */
  @Test
  void aHedgeCarryingOnAloneIsTheRangesRequest() {
    Fetch first = fetches.start(A, new FetchRange(1, 100), false, 0);
    Fetch hedge = fetches.start(B, new FetchRange(1, 100), true, 500);

    assertThat(fetches.finish(first)).isSameAs(hedge);
    fetches.carryOn(hedge);

    assertThat(fetches.isCurrent(hedge)).isTrue();
    assertThat(fetches.size()).isEqualTo(1);
    InFlightFetches.Forgotten forgotten = fetches.forgetAll();
    assertThat(forgotten.hedges()).isEmpty();
    assertThat(forgotten.requests()).containsExactly(hedge);
    assertThat(fetches.isCurrent(hedge)).isFalse();
    assertThat(selector.choose(List.of(B))).as("B's fetch no longer counts").isEqualTo(B);
  }

  /** Verifies that a stall forgets hedges and requests apart, and frees every peer. */
  @Test
  void forgetAllSeparatesHedgesFromRequests() {
    Fetch first = fetches.start(A, new FetchRange(1, 100), false, 0);
    Fetch hedge = fetches.start(B, new FetchRange(1, 100), true, 500);

    InFlightFetches.Forgotten forgotten = fetches.forgetAll();

    assertThat(forgotten.hedges()).containsExactly(hedge);
    assertThat(forgotten.requests()).containsExactly(first);
    assertThat(fetches.isCurrent(first)).isFalse();
    assertThat(fetches.isCurrent(hedge)).isFalse();
    assertThat(selector.choose(List.of(A))).isEqualTo(A);
    assertThat(selector.choose(List.of(B))).isEqualTo(B);
  }

  /**
   * Verifies that a batch is late only past its deadline (the default while nothing is measured),
   * only when the apply queue waits for it or it lies within the hedge window of the tip, and never
   * twice; late batches come lowest first.
   */
  @Test
  void lateBatchesAreThoseNearTheTipPastTheirDeadline() {
    PeerSelector roomy = new PeerSelector(new Random(1), 10);
    InFlightFetches books = new InFlightFetches(roomy, new FetchTimings(MIN_DELAY_MS, DEFAULT_DELAY_MS));
    Fetch nearTip = books.start(A, new FetchRange(901, 1_000), false, 0);
    Fetch next = books.start(A, new FetchRange(1, 100), false, 0);
    Fetch middle = books.start(B, new FetchRange(401, 500), false, 0);
    long tip = 1_000;
    long window = 200;

    assertThat(books.late(DEFAULT_DELAY_MS, 1, tip, window)).as("not past the deadline yet").isEmpty();
    assertThat(books.late(DEFAULT_DELAY_MS + 1, 1, tip, window)).containsExactly(next, nearTip);
    assertThat(books.late(DEFAULT_DELAY_MS + 1, 401, tip, window)).as("the apply queue waits for 401")
        .containsExactly(next, middle, nearTip);

    books.start(B, nearTip.range(), true, DEFAULT_DELAY_MS + 1);
    assertThat(books.late(10 * DEFAULT_DELAY_MS, 1, tip, window)).as("hedged already").containsExactly(next);
  }

  /** Verifies that once a peer's speed is measured, its deadline follows it (never below the minimum). */
  @Test
  void theDeadlineFollowsThePeersMeasuredSpeed() {
    PeerSelector roomy = new PeerSelector(new Random(1), 10);
    roomy.recordRtt(A, 10);
    InFlightFetches books = new InFlightFetches(roomy, new FetchTimings(MIN_DELAY_MS, DEFAULT_DELAY_MS));
    books.served(A, 100, 100);
    Fetch fetch = books.start(A, new FetchRange(1, 100), false, 0);
    // 3 x (10 ms rtt + 100 commits x 1 ms) = 330 ms
    assertThat(books.late(330, 1, 100, 0)).isEmpty();
    assertThat(books.late(331, 1, 100, 0)).containsExactly(fetch);

    books.forget(A);
    assertThat(books.late(331, 1, 100, 0)).as("measured over all peers still").containsExactly(fetch);
  }
}
