package io.weft.discovery;

import static io.weft.discovery.LivenessDigests.digest;
import static io.weft.discovery.LivenessDigests.entries;
import static io.weft.discovery.LivenessDigests.prefix;
import static io.weft.discovery.LivenessDigests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ExchangeLiveness server rules of {@link LivenessServing}, called directly: no Vert.x, no
 * gRPC, a fake clock and a seeded random.
 */
class LivenessServingTest {

  private static final long TTL = 1_000;
  private static final long HOLD = 60_000;
  private static final PeerId SELF = id(100);
  private static final PeerId CALLER = id(1);
  /** A peer nobody here knows: a digest vouching only for it just counts as an arrival. */
  private static final PeerId STRANGER = id(99);

  private final DiscoveryState state = new DiscoveryState();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final FakeClock clock = new FakeClock();

  // ---------------------------------------------------------------- fixtures

  static PeerId id(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    Arrays.fill(b, (byte) n);
    return PeerId.of(b);
  }

  private static KnownPeer peer(PeerId id, long ts) {
    return new KnownPeer(id, SignedNodeInfo.getDefaultInstance(), ts, List.of("h:" + id.shortId()), false);
  }

  private static DiscoveryOptions options() {
    return new DiscoveryOptions().setLivenessTtlMs(TTL).setLivenessExchangesPerSecond(100);
  }

  private LivenessServing serving(DiscoveryOptions options) {
    return new LivenessServing(options, SELF, state, stats, clock, new Random(42));
  }

  /** What a caller sends when it vouches for nobody but itself. */
  private static LivenessDigest justMe(PeerId caller) {
    return digest(List.of(caller), 0);
  }

  private static void assertStatus(Future<?> future, GrpcStatus status) {
    assertThat(future.failed()).isTrue();
    assertThat(future.cause()).isInstanceOf(StatusException.class);
    assertThat(((StatusException) future.cause()).status()).isEqualTo(status);
  }

  private static LivenessDigest answer(Future<LivenessDigest> future) {
    assertThat(future.succeeded()).as("answered: %s", future.cause()).isTrue();
    return future.result();
  }

  /** Our own digest now, as the server would send it. */
  private Map<Long, Integer> ourDigest() {
    return entries(state.livenessDigest(SELF, clock.nowMillis(), TTL, 100, new Random(1)));
  }

  /**
   * Has {@code ids} known, first seen and heard of now, then silenced a TTL later after three
   * digests that vouch for nobody; the clock ends just past the TTL.
   */
  private void silence(PeerId... ids) {
    long t = clock.nowMillis();
    for (PeerId id : ids) {
      state.upsert(peer(id, t));
    }
    assertThat(state.silenceUnvouched(t, TTL, HOLD, LivenessGossip.MIN_DIGESTS, Set.of())).isEmpty();
    for (PeerId id : ids) {
      state.heard(id, t);
    }
    for (int i = 1; i <= LivenessGossip.MIN_DIGESTS; i++) {
      state.mergeLiveness(digest(List.of(STRANGER), 1), t + 100L * i, TTL);
    }
    clock.advance(TTL + 1);
    assertThat(state.silenceUnvouched(clock.nowMillis(), TTL, HOLD, LivenessGossip.MIN_DIGESTS, Set.of()))
        .containsExactlyInAnyOrder(ids);
    assertThat(state.silencedCount()).isEqualTo(ids.length);
  }

  // ---------------------------------------------------------------- tests

  /** Verifies that with liveness gossip off every call is FAILED_PRECONDITION, and nothing is taken. */
  @Test
  void offAnswersFailedPrecondition() {
    PeerId lost = id(5);
    silence(lost);
    state.upsert(peer(CALLER, clock.nowMillis()));
    LivenessServing serving = serving(options().setLivenessTtlMs(0));

    for (int i = 0; i < 10; i++) { // more than any burst: the rate limit is not reached either
      assertStatus(serving.serve(CALLER, digest(List.of(CALLER, lost), 0, 1)), GrpcStatus.FAILED_PRECONDITION);
    }
    assertStatus(serving.serve(CALLER, raw(12, 1)), GrpcStatus.FAILED_PRECONDITION);

    assertThat(stats.livenessDigestsTaken.get()).isZero();
    assertThat(stats.livenessDigestsRejected.get()).isZero();
    assertThat(stats.rateLimited.get()).isZero();
    assertThat(stats.peersRevived.get()).isZero();
    assertThat(state.get(lost)).isEmpty(); // the vouch was not taken
    assertThat(ourDigest()).doesNotContainKey(prefix(CALLER)); // nor was the caller heard
  }

  /**
   * Verifies that a malformed digest (prefix bytes not a multiple of 8, lengths that disagree, over
   * MAX_LIVENESS_ENTRIES entries, fresh infos in a request) is INVALID_ARGUMENT, counted, and not
   * taken; MAX entries is fine.
   */
  @Test
  void malformedDigestIsInvalidArgument() {
    state.upsert(peer(CALLER, clock.nowMillis()));
    LivenessServing serving = serving(options());
    int max = DiscoveryOptions.MAX_LIVENESS_ENTRIES;

    assertStatus(serving.serve(CALLER, raw(12, 1)), GrpcStatus.INVALID_ARGUMENT);
    assertStatus(serving.serve(CALLER, raw(8, 2)), GrpcStatus.INVALID_ARGUMENT);
    assertStatus(serving.serve(CALLER, raw(16, 1)), GrpcStatus.INVALID_ARGUMENT);
    assertStatus(serving.serve(CALLER, raw((max + 1) * 8, max + 1)), GrpcStatus.INVALID_ARGUMENT);
    // fresh infos ride in answers only
    assertStatus(serving.serve(CALLER, justMe(CALLER).toBuilder().addFreshInfos(SignedNodeInfo.getDefaultInstance())
        .build()), GrpcStatus.INVALID_ARGUMENT);

    assertThat(stats.livenessDigestsRejected.get()).isEqualTo(5);
    assertThat(stats.livenessDigestsTaken.get()).isZero();
    assertThat(ourDigest()).doesNotContainKey(prefix(CALLER)); // a refused call is no sign of life

    assertThat(answer(serving.serve(CALLER, raw(max * 8, max)))).isNotNull();
    assertThat(stats.livenessDigestsRejected.get()).isEqualTo(5);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(1);
  }

  /**
   * Verifies the per-caller rate limit: a burst of ceil(2 * rate) calls, then RESOURCE_EXHAUSTED
   * (counted, not taken) until a token has refilled; other callers are not affected.
   */
  @Test
  void rateLimitsEachCallerAfterItsBurst() {
    PeerId other = id(2);
    LivenessServing serving = serving(options().setLivenessExchangesPerSecond(1.5)); // burst 3

    for (int i = 0; i < 3; i++) {
      answer(serving.serve(CALLER, justMe(CALLER)));
    }
    assertStatus(serving.serve(CALLER, justMe(CALLER)), GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(stats.rateLimited.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(3);

    answer(serving.serve(other, justMe(other)));

    clock.advance(666); // 0.999 of a token
    assertStatus(serving.serve(CALLER, justMe(CALLER)), GrpcStatus.RESOURCE_EXHAUSTED);
    clock.advance(1);
    answer(serving.serve(CALLER, justMe(CALLER)));
    assertStatus(serving.serve(CALLER, justMe(CALLER)), GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(stats.rateLimited.get()).isEqualTo(3);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(5);
  }

  /** Verifies the burst for other rates: ceil(2 * rate), at least one. */
  @Test
  void burstIsTwiceTheRateRoundedUpAndAtLeastOne() {
    LivenessServing slow = serving(options().setLivenessExchangesPerSecond(0.2)); // ceil(0.4) = 1
    answer(slow.serve(CALLER, justMe(CALLER)));
    assertStatus(slow.serve(CALLER, justMe(CALLER)), GrpcStatus.RESOURCE_EXHAUSTED);

    LivenessServing two = serving(options().setLivenessExchangesPerSecond(2)); // a burst of 4
    PeerId caller = id(3);
    for (int i = 0; i < 4; i++) {
      answer(two.serve(caller, justMe(caller)));
    }
    assertStatus(two.serve(caller, justMe(caller)), GrpcStatus.RESOURCE_EXHAUSTED);

    double rate = DiscoveryOptions.DEFAULT_LIVENESS_EXCHANGES_PER_SECOND;
    LivenessServing byDefault = serving(new DiscoveryOptions());
    PeerId another = id(4);
    for (int i = 0; i < (int) Math.ceil(2 * rate); i++) {
      answer(byDefault.serve(another, justMe(another)));
    }
    assertStatus(byDefault.serve(another, justMe(another)), GrpcStatus.RESOURCE_EXHAUSTED);
  }

  /**
   * Verifies a good call: the caller counts as heard now (in our answer at one unit), its vouches
   * are taken (a silenced peer comes back, counted in peersRevived), and the answer is our digest:
   * self first at age 0, then the peers we heard of.
   */
  @Test
  void aGoodCallMarksTheCallerHeardAndTakesItsVouches() {
    PeerId lost = id(5);
    PeerId recent = id(7);
    silence(lost);
    long now = clock.nowMillis();
    state.upsert(peer(CALLER, now));
    state.upsert(peer(recent, now));
    state.heard(recent, now - 250);
    LivenessServing serving = serving(options());

    // the caller does not vouch for itself here: the call alone must count as hearing from it
    LivenessDigest answer = answer(serving.serve(CALLER, digest(List.of(lost), 1)));

    Map<Long, Integer> entries = entries(answer);
    assertThat(entries.keySet().iterator().next()).isEqualTo(prefix(SELF));
    assertThat(entries).containsExactlyInAnyOrderEntriesOf(Map.of(
        prefix(SELF), 0,
        prefix(CALLER), 1, // heard just now
        prefix(lost), 2, // vouched for 100 ms ago, one unit more on the way out
        prefix(recent), 4)); // heard 250 ms ago
    assertThat(state.get(lost)).isPresent();
    assertThat(state.silencedCount()).isZero();
    assertThat(stats.peersRevived.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsRejected.get()).isZero();
  }

  /**
   * Verifies that a silenced caller is back as soon as it calls (its call is a sign of life), even
   * with an empty digest that vouches for nobody, itself included.
   */
  @Test
  void aSilencedCallerIsRevivedByItsOwnCall() {
    silence(CALLER);
    LivenessServing serving = serving(options());

    Map<Long, Integer> entries = entries(answer(serving.serve(CALLER, LivenessDigest.getDefaultInstance())));

    assertThat(state.get(CALLER)).isPresent();
    assertThat(stats.peersRevived.get()).isEqualTo(1);
    assertThat(entries).containsEntry(prefix(CALLER), 1);
  }

  /** Verifies that the answer holds at most livenessMaxEntries entries, self first. */
  @Test
  void theAnswerIsCappedAtLivenessMaxEntries() {
    long now = clock.nowMillis();
    for (int n = 10; n < 20; n++) {
      state.upsert(peer(id(n), now));
      state.heard(id(n), now);
    }
    LivenessServing serving = serving(options().setLivenessMaxEntries(3));

    Map<Long, Integer> entries = entries(answer(serving.serve(CALLER, justMe(CALLER))));

    assertThat(entries).hasSize(3);
    assertThat(entries.keySet().iterator().next()).isEqualTo(prefix(SELF));
  }
}
