package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.store.ChainStore;
import io.weft.sync.FakeSyncTransport.FetchCommits;
import io.weft.sync.FakeSyncTransport.Push;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link SyncLoop}, driven synchronously through {@link FakeSyncTransport}
 * (peers serving real signed chains by the reference rules), a real {@link ChainStore} in a
 * temporary directory and a fake clock: no Vert.x instance, no network, no sleeps.
 */
class SyncLoopTest extends SyncLoopFixture {

  /** 450 commits in epochs of 200: epochs 0 (1..200), 1 (201..400), 2 (401..450); the tip is uncertified. */
  private static final Chain HONEST = ChainBuilder.create().epochLength(200).build(450);
  /** The same chain with every commit's last block carrying a corrupted signature. */
  private static final Chain FORGED = forgedEverywhere();
  /** The same chain up to 99; commit 100 names a wrong previous digest and the rest follows it. */
  private static final Chain SPLICED = ChainBuilder.create().epochLength(200).wrongPreviousDigestAt(100).build(450);
  /** 41 commits in one epoch; 41 is uncertified. */
  private static final Chain SMALL = ChainBuilder.create().build(41);
  /** Same genesis as SMALL; commit 2 names a wrong previous digest. */
  private static final Chain SMALL_BAD_LINK = ChainBuilder.create().wrongPreviousDigestAt(2).build(3);

  private static final PeerId SELF = peer(100);
  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final PeerId X = peer(3);
  private static final PeerId H = peer(4);

  private final PeerHeights heights = new PeerHeights();
  private final SyncStatus status = new SyncStatus();

  private static Chain forgedEverywhere() {
    ChainBuilder builder = ChainBuilder.create().epochLength(200);
    for (long i = 1; i <= 450; i++) {
      builder.forgeSignatureAt(i);
    }
    return builder.build(450);
  }

  /** Starts a loop from what the store holds (given {@code chain}'s genesis when empty). */
  private SyncLoop start(SyncOptions options, Chain chain) throws Exception {
    StartState state = StartState.load(store, chain.genesis());
    loop = new SyncLoop(options, SELF, heights, status, transport, clock, new Random(42), stats);
    loop.start(state.genesis(), state.highestSynced(), state.highestDigest(), state.lowestAvailable(),
        state.committees());
    return loop;
  }

  /** The store's highest commit is {@code to} and commits {@code from..to} are {@code chain}'s bytes. */
  private void assertStoreHolds(Chain chain, long from, long to) throws Exception {
    assertThat(store.highestSynced()).isEqualTo(to);
    List<byte[]> commits = store.commits(from, to);
    assertThat(commits).hasSize((int) (to - from + 1));
    for (int i = 0; i < commits.size(); i++) {
      assertThat(commits.get(i)).as("commit %d", from + i).isEqualTo(chain.commitBytes(from + i));
    }
  }

  /** Exactly {@code from..to} were published, once each, in order, with {@code chain}'s bytes. */
  private void assertPublishedInOrder(Chain chain, long from, long to) {
    assertThat(transport.publishedIndexes())
        .containsExactlyElementsOf(LongStream.rangeClosed(from, to).boxed().toList());
    for (SubDagMessage message : transport.published) {
      assertThat(message.commit()).isEqualTo(chain.commitBytes(message.index()));
      assertThat(message.blocks()).hasSize(chain.blocksOf(message.index()).size());
    }
  }

  /** The served (non-empty) answers cover {@code from..to} exactly: no gap, no overlap. */
  private void assertServedPartition(long from, long to) {
    List<long[]> served = transport.fetches.stream().map(f -> f.served).filter(Objects::nonNull)
        .sorted(Comparator.comparingLong(r -> r[0])).toList();
    long next = from;
    for (long[] range : served) {
      assertThat(range[0]).as("served range %s", Arrays.toString(range)).isEqualTo(next);
      next = range[1] + 1;
    }
    assertThat(next - 1).isEqualTo(to);
  }

  private void assertInFlightWithin(int total, int perPeer) {
    List<FetchCommits> pending = transport.pending();
    assertThat(pending).hasSizeLessThanOrEqualTo(total);
    Map<PeerId, Integer> perPeerCount = new HashMap<>();
    pending.forEach(f -> perPeerCount.merge(f.peer, 1, Integer::sum));
    assertThat(perPeerCount.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(perPeer));
  }

  // ---------------------------------------------------------------- happy path

  /**
   * Verifies that, from genesis, a loop with one peer holding 450 commits (epochs of 200) fetches
   * batches of at most batchSize, copes with the server cutting a batch at the epoch's end,
   * applies 1..449 (450 is uncertified) strictly in order into the store, publishes each index
   * once in order, stores the committees of epochs 1 and 2 it learned, and pushes its new heights
   * to a second peer that reported a lower height.
   */
  @Test
  void syncsAWholeChainFromGenesis() throws Exception {
    // B first: the fake answers at once, so A's probe runs the whole sync before the next probe.
    transport.peer(B, HONEST, 0);
    transport.peer(A, HONEST, 450);

    start(new SyncOptions().setBatchSize(64), HONEST);

    assertStoreHolds(HONEST, 0, 449);
    assertPublishedInOrder(HONEST, 1, 449);
    assertThat(stats.commitsApplied.get()).isEqualTo(449);
    assertThat(transport.fetches).isNotEmpty().allSatisfy(f -> {
      assertThat(f.peer).isEqualTo(A);
      assertThat(f.size()).isBetween(1L, 64L);
    });
    // 193..256 crosses the end of epoch 0: the server answers 193..200 and 201.. is asked next.
    assertThat(transport.fetches).anySatisfy(f -> {
      assertThat(f.start).isLessThanOrEqualTo(200);
      assertThat(f.end).isGreaterThan(200);
      assertThat(f.served).containsExactly(f.start, 200L);
    });
    assertServedPartition(1, 449);

    assertThat(store.committee(1)).hasValueSatisfying(c -> assertThat(c).isEqualTo(HONEST.committee(1).proto().toByteArray()));
    assertThat(store.committee(2)).hasValueSatisfying(c -> assertThat(c).isEqualTo(HONEST.committee(2).proto().toByteArray()));

    assertThat(transport.pushes).isNotEmpty().allSatisfy(p -> assertThat(p.peer()).isEqualTo(B));
    List<Long> pushed = transport.pushes.stream().map(Push::index).toList();
    assertThat(pushed).isSorted().doesNotHaveDuplicates().last().isEqualTo(449L);
    assertThat(stats.pushesSent.get()).isEqualTo(transport.pushes.size());

    assertThat(status.get().highestSynced()).isEqualTo(449);
    assertThat(status.get().highestDigest()).isEqualTo(HONEST.digest(449));
    assertThat(loop.highestSynced()).isEqualTo(449);
    assertThat(stats.offences.get()).isZero();
    assertThat(transport.denials).isEmpty();
  }

  // ---------------------------------------------------------------- pipelining

  /**
   * Verifies that with maxBatchesInFlight 4 and two peers, 4 FetchCommits are outstanding at once,
   * never more than maxBatchesPerPeer per peer, and that completing them out of order still
   * applies and publishes in index order (nothing before the first batch lands).
   */
  @Test
  void pipelinesBatchesAcrossPeersAndAppliesInOrder() throws Exception {
    transport.peer(A, SMALL, 41).manual = true;
    transport.peer(B, SMALL, 41).manual = true;

    start(new SyncOptions().setBatchSize(10).setMaxBatchesInFlight(4).setMaxBatchesPerPeer(2), SMALL);

    List<FetchCommits> first = transport.pending();
    assertThat(first).extracting(f -> f.start).containsExactlyInAnyOrder(1L, 11L, 21L, 31L);
    assertThat(first).allSatisfy(f -> assertThat(f.size()).isEqualTo(10));
    assertThat(transport.pendingTo(A)).hasSize(2);
    assertThat(transport.pendingTo(B)).hasSize(2);

    Map<Long, FetchCommits> byStart = new HashMap<>();
    first.forEach(f -> byStart.put(f.start, f));
    for (long start : List.of(31L, 11L, 21L)) {
      byStart.get(start).serve();
      assertThat(transport.published).as("published after serving %d", start).isEmpty();
      assertThat(store.highestSynced()).isZero();
      assertInFlightWithin(4, 2);
    }
    byStart.get(1L).serve();

    assertPublishedInOrder(SMALL, 1, 40);
    assertStoreHolds(SMALL, 0, 40);
    assertInFlightWithin(4, 2);

    transport.serveAll(); // 41 is the uncertified tip: answered empty
    assertThat(store.highestSynced()).isEqualTo(40);
    assertThat(stats.offences.get()).isZero();
  }

  // ---------------------------------------------------------------- truncated answers

  /** Verifies that a peer answering fewer commits than asked makes the loop ask for the remainder next, with no gap and no duplicate. */
  @Test
  void aTruncatedAnswerIsFollowedByTheRemainder() throws Exception {
    FakeSyncTransport.Server server = transport.peer(A, SMALL, 41);
    server.manual = true;
    server.maxCommits = 7;

    start(new SyncOptions().setBatchSize(20).setMaxBatchesInFlight(2).setMaxBatchesPerPeer(2), SMALL);

    assertThat(transport.fetches).extracting(f -> f.start + ".." + f.end).containsExactly("1..20", "21..40");
    transport.fetches.get(0).serve();
    assertThat(transport.fetches.get(0).served).containsExactly(1L, 7L);
    assertThat(transport.fetches).extracting(f -> f.start + ".." + f.end).containsExactly("1..20", "21..40", "8..20");
    assertPublishedInOrder(SMALL, 1, 7);

    transport.serveAll();

    assertServedPartition(1, 40);
    assertPublishedInOrder(SMALL, 1, 40);
    assertStoreHolds(SMALL, 0, 40);
    assertThat(stats.offences.get()).isZero();
  }

  // ---------------------------------------------------------------- misbehaving peers

  /**
   * Verifies that a peer serving forged blocks is charged an offence per bad batch (BAD_SIGNATURE),
   * the range is then fetched from the honest peer, after maxOffences the forger is denied once
   * and never asked again (even when it stays connected and ticks re-probe it), and sync completes
   * from the honest peer.
   */
  @Test
  void aForgerIsChargedDeniedAndNeverAskedAgain() throws Exception {
    transport.peer(X, FORGED, 450);
    transport.peer(H, HONEST, 450);

    start(new SyncOptions().setBatchSize(25), HONEST);

    assertStoreHolds(HONEST, 0, 449);
    assertPublishedInOrder(HONEST, 1, 449);

    List<FetchCommits> forged = transport.fetchesTo(X).stream().filter(f -> f.served != null).toList();
    assertThat(forged).hasSize(3);
    assertThat(stats.offences.get()).isEqualTo(3);
    assertThat(stats.verificationFailures(Reason.BAD_SIGNATURE)).isEqualTo(3);
    assertThat(stats.verificationFailures()).isEqualTo(3);
    assertThat(stats.denials.get()).isEqualTo(1);
    assertThat(transport.denials).hasSize(1);
    FakeSyncTransport.Deny deny = transport.denials.get(0);
    assertThat(deny.peer()).isEqualTo(X);
    assertThat(deny.untilMs()).isEqualTo(T0 + SyncOptions.DEFAULT_DENY_MS);
    for (FetchCommits bad : forged) {
      int at = transport.fetches.indexOf(bad);
      assertThat(transport.fetches.subList(at + 1, transport.fetches.size()))
          .as("a later fetch of %d from the honest peer", bad.start)
          .anySatisfy(f -> {
            assertThat(f.peer).isEqualTo(H);
            assertThat(f.start).isEqualTo(bad.start);
          });
    }

    // X stays connected: ticks re-probe it, but it is never asked for commits again.
    for (int i = 0; i < 3; i++) {
      now[0] += 2 * SyncOptions.DEFAULT_RETRY_DELAY_MS;
      loop.tick();
    }
    assertThat(transport.fetchesTo(X)).allSatisfy(f ->
        assertThat(transport.fetches.indexOf(f)).isLessThan(deny.fetchesBefore()));
    assertThat(transport.blockFetches).filteredOn(f -> f.peer().equals(X)).hasSize(3);
    assertThat(transport.denials).hasSize(1);
    assertThat(transport.fetches.get(transport.fetches.size() - 1).peer).isEqualTo(H);
  }

  /** Verifies that an empty FetchCommits answer is no offence: the peer rests for retryDelay and the same range is then asked again. */
  @Test
  void anEmptyAnswerIsNoOffenceAndTheRangeIsRetriedAfterTheDelay() throws Exception {
    transport.peer(A, SMALL, 41).emptyAnswers = 1;

    start(new SyncOptions(), SMALL);

    assertThat(transport.fetches).hasSize(1);
    assertThat(transport.fetches.get(0).served).isNull();
    assertThat(stats.offences.get()).isZero();
    assertThat(stats.fetchFailures.get()).isEqualTo(1);
    assertThat(transport.denials).isEmpty();

    now[0] += SyncOptions.DEFAULT_RETRY_DELAY_MS - 1;
    loop.tick();
    assertThat(transport.fetches).hasSize(1);

    now[0] += 1;
    loop.tick();
    assertThat(transport.fetches.get(1)).satisfies(f -> {
      assertThat(f.peer).isEqualTo(A);
      assertThat(f.start).isEqualTo(1);
      assertThat(f.end).isEqualTo(41);
      assertThat(f.served).containsExactly(1L, 40L);
    });
    assertStoreHolds(SMALL, 0, 40);
    assertPublishedInOrder(SMALL, 1, 40);
    assertThat(stats.offences.get()).isZero();
    assertThat(stats.denials.get()).isZero();
    assertThat(transport.denials).isEmpty();
  }

  /**
   * Verifies that a batch whose first commit does not link to our last digest (a peer serving a
   * different chain with the same genesis from index 100) is an offence (WRONG_PREVIOUS_DIGEST),
   * nothing of it is applied, and the range then goes to another peer.
   */
  @Test
  void aBatchThatDoesNotLinkToOurChainIsAnOffence() throws Exception {
    ChainImport.importChain(store, HONEST, 99);
    transport.peer(X, SPLICED, 450);

    start(new SyncOptions().setBatchSize(50).setMaxOffences(1), HONEST);

    assertThat(transport.fetches).hasSize(1);
    assertThat(transport.fetches.get(0).served).containsExactly(100L, 149L);
    assertThat(stats.offences.get()).isEqualTo(1);
    assertThat(stats.verificationFailures(Reason.WRONG_PREVIOUS_DIGEST)).isEqualTo(1);
    assertThat(transport.denials).extracting(FakeSyncTransport.Deny::peer).containsExactly(X);
    assertThat(store.highestSynced()).isEqualTo(99);
    assertThat(transport.published).isEmpty();

    transport.peer(H, HONEST, 450);
    loop.onNewPeer(H);

    assertThat(transport.fetches.subList(1, transport.fetches.size())).allSatisfy(f -> assertThat(f.peer).isEqualTo(H));
    assertThat(transport.fetches.get(1).start).isEqualTo(100);
    assertStoreHolds(HONEST, 1, 449);
    assertPublishedInOrder(HONEST, 100, 449);
    assertThat(stats.offences.get()).isEqualTo(1);
  }

  /** Verifies that with a wrong digest pinned for commit 120, every batch containing 120 is rejected (PINNED_MISMATCH) and nothing from 101 on is applied. */
  @Test
  void aPinnedDigestMismatchRejectsTheBatch() throws Exception {
    byte[] wrong = new byte[Digest.LENGTH];
    Arrays.fill(wrong, (byte) 7);
    transport.peer(A, HONEST, 450);

    start(new SyncOptions().setBatchSize(50).setPinnedCommits(Map.of(120L, Digest.of(wrong))), HONEST);

    assertThat(transport.fetches).extracting(f -> f.start + ".." + f.end)
        .containsExactly("1..50", "51..100", "101..150", "101..150", "101..150");
    assertThat(stats.verificationFailures(Reason.PINNED_MISMATCH)).isEqualTo(3);
    assertThat(stats.offences.get()).isEqualTo(3);
    assertThat(transport.denials).extracting(FakeSyncTransport.Deny::peer).containsExactly(A);
    assertStoreHolds(HONEST, 0, 100);
    assertPublishedInOrder(HONEST, 1, 100);
  }

  // ---------------------------------------------------------------- local consensus

  /**
   * Verifies the local-consensus input: the next commit is "applied" (stored, published, pushed to
   * a lower peer); an old index is "ignored"; a commit whose previous digest does not match fails
   * naming "previous digest" and one that skips an index fails with "does not follow", both
   * counted in localCommitsRejected and leaving the state unchanged.
   */
  @Test
  void localCommitsAreAppliedIgnoredOrRejected() throws Exception {
    transport.peer(B, SMALL, 0);
    start(new SyncOptions(), SMALL);

    Future<String> applied = loop.onLocalCommit(SubDagMessage.of(SMALL.subDag(1)));
    assertThat(applied.succeeded()).isTrue();
    assertThat(applied.result()).isEqualTo("applied");
    assertStoreHolds(SMALL, 0, 1);
    assertPublishedInOrder(SMALL, 1, 1);
    assertThat(stats.localCommitsApplied.get()).isEqualTo(1);
    assertThat(transport.pushes).containsExactly(new Push(B, 1));

    Future<String> ignored = loop.onLocalCommit(SubDagMessage.of(SMALL.subDag(1)));
    assertThat(ignored.succeeded()).isTrue();
    assertThat(ignored.result()).isEqualTo("ignored");

    assertThat(SMALL_BAD_LINK.commitBytes(1)).isEqualTo(SMALL.commitBytes(1));
    Future<String> wrongLink = loop.onLocalCommit(SubDagMessage.of(SMALL_BAD_LINK.subDag(2)));
    assertThat(wrongLink.failed()).isTrue();
    assertThat(wrongLink.cause().getMessage()).contains("previous digest");
    assertThat(stats.localCommitsRejected.get()).isEqualTo(1);

    Future<String> skipping = loop.onLocalCommit(SubDagMessage.of(SMALL.subDag(3)));
    assertThat(skipping.failed()).isTrue();
    assertThat(skipping.cause().getMessage()).contains("does not follow");
    assertThat(stats.localCommitsRejected.get()).isEqualTo(2);

    assertStoreHolds(SMALL, 0, 1);
    assertPublishedInOrder(SMALL, 1, 1);
    assertThat(status.get().highestSynced()).isEqualTo(1);
    assertThat(status.get().highestDigest()).isEqualTo(SMALL.digest(1));
    assertThat(stats.localCommitsApplied.get()).isEqualTo(1);

    Future<String> next = loop.onLocalCommit(SubDagMessage.of(SMALL.subDag(2)));
    assertThat(next.result()).isEqualTo("applied");
    assertStoreHolds(SMALL, 0, 2);
    assertPublishedInOrder(SMALL, 1, 2);
  }

  /**
   * Verifies that batches fetched ahead and parked for a committee they cannot be verified
   * without are verified once local consensus announces that committee (its commit ends the
   * epoch), so sync resumes even when the sync batch ending the epoch never verified.
   */
  @Test
  void parkedBatchesAreReleasedByACommitteeFromLocalConsensus() throws Exception {
    Chain chain = ChainBuilder.create().epochLength(20).build(60);
    transport.peer(A, chain, 60).manual = true;
    start(new SyncOptions().setBatchSize(10).setMaxBatchesInFlight(4).setMaxBatchesPerPeer(4), chain);
    Map<Long, FetchCommits> byStart = new HashMap<>();
    transport.pending().forEach(f -> byStart.put(f.start, f));
    assertThat(byStart).containsOnlyKeys(1L, 11L, 21L, 31L);

    byStart.get(21L).serve(); // epoch 1: parked until committee 1 is known
    byStart.get(31L).serve();
    byStart.get(1L).serve();
    assertStoreHolds(chain, 0, 10);

    for (long i = 11; i <= 20; i++) { // local consensus closes epoch 0 and announces committee 1
      assertThat(loop.onLocalCommit(SubDagMessage.of(chain.subDag(i))).result()).isEqualTo("applied");
    }
    byStart.get(11L).fail("deadline exceeded (fake)");
    transport.serveAll();
    for (int i = 0; i < 3; i++) {
      now[0] += 2 * SyncOptions.DEFAULT_RETRY_DELAY_MS;
      loop.tick();
      transport.serveAll();
    }

    assertStoreHolds(chain, 0, 60); // 60 ends epoch 2: its closing blocks certify it
    assertPublishedInOrder(chain, 1, 60);
  }

  // ---------------------------------------------------------------- executor backpressure

  /** 601 commits in one epoch: 1..600 are certified. */
  private static final Chain LONG = ChainBuilder.create().epochLength(1000).build(601);

  /** The highest end any FetchCommits asked for. */
  private long highestAsked() {
    return transport.fetches.stream().mapToLong(f -> f.end).max().orElse(0);
  }

  /** A loop whose executors registered before it started. */
  private SyncLoop startWithExecutor(SyncOptions options, Chain chain, String executor, long acked) throws Exception {
    StartState state = StartState.load(store, chain.genesis());
    loop = new SyncLoop(options, SELF, heights, status, transport, clock, new Random(42), stats);
    assertThat(loop.onExecutorAck(executor, acked)).isEqualTo(-1);
    loop.start(state.genesis(), state.highestSynced(), state.highestDigest(), state.lowestAvailable(),
        state.committees());
    return loop;
  }

  /**
   * Verifies that with maxAheadOfExecutors 100, sync never asks beyond the slowest executor's ack
   * + 100: an executor at 0 holds it at 100 (ticks and time change nothing, and the stall
   * watchdog does not count that as a stall); an ack of 250 lets it reach 350; a second executor
   * at 300 changes nothing (the slowest rules); a lower ack does not lower the limit; when the
   * first leaves it reaches 400, and when none is left it syncs to the end.
   */
  @Test
  void syncStaysWithinTheLimitOfTheSlowestExecutor() throws Exception {
    transport.peer(A, LONG, 600);
    SyncOptions options = new SyncOptions().setBatchSize(30).setMaxAheadOfExecutors(100).setStallTimeoutMs(5_000);

    startWithExecutor(options, LONG, "exec", 0);
    assertThat(loop.highestSynced()).isEqualTo(100);
    assertThat(highestAsked()).isEqualTo(100);
    int fetches = transport.fetches.size();
    for (int i = 0; i < 5; i++) {
      now[0] += 5_000;
      loop.tick();
    }
    assertThat(transport.fetches).hasSize(fetches);
    assertThat(stats.stallRotations.get()).isZero();

    assertThat(loop.onExecutorAck("exec", 250)).isEqualTo(350);
    assertThat(highestAsked()).isEqualTo(350);

    assertThat(loop.onExecutorAck("other", 300)).isEqualTo(350);
    assertThat(loop.onExecutorAck("exec", 10)).isEqualTo(350);
    assertThat(loop.executorAcks()).containsEntry("exec", 250L).containsEntry("other", 300L);

    assertThat(loop.onExecutorLeave("exec")).isEqualTo(400);
    assertThat(highestAsked()).isEqualTo(400);
    assertThat(loop.onExecutorLeave("other")).isEqualTo(600);

    assertStoreHolds(LONG, 0, 600);
    assertPublishedInOrder(LONG, 1, 600);
    assertServedPartition(1, 600);
  }

  /** Verifies that at most MAX_EXECUTORS executors may register, and that one leaving frees a place. */
  @Test
  void executorsBeyondTheCapAreRefused() throws Exception {
    transport.peer(A, SMALL, 41);
    start(new SyncOptions(), SMALL);
    for (int i = 0; i < SyncLoop.MAX_EXECUTORS; i++) {
      loop.onExecutorAck("exec-" + i, 40);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> loop.onExecutorAck("one-too-many", 40))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("too many executors");
    loop.onExecutorLeave("exec-0");
    assertThat(loop.onExecutorAck("one-too-many", 40)).isEqualTo(40);
    assertThat(loop.executorAcks()).hasSize(SyncLoop.MAX_EXECUTORS);
  }

  /** Verifies that an executor silent for executorAckTimeoutMs is unregistered (and counted), and sync then runs to the end. */
  @Test
  void aSilentExecutorIsDroppedAfterTheAckTimeout() throws Exception {
    transport.peer(A, LONG, 600);
    startWithExecutor(new SyncOptions().setMaxAheadOfExecutors(100).setExecutorAckTimeoutMs(5_000), LONG, "exec", 0);
    assertThat(loop.highestSynced()).isEqualTo(100);

    now[0] += 4_999;
    loop.tick();
    assertThat(loop.highestSynced()).isEqualTo(100);
    assertThat(stats.executorsDropped.get()).isZero();

    now[0] += 1;
    loop.tick();
    assertThat(stats.executorsDropped.get()).isEqualTo(1);
    assertThat(loop.executorAcks()).isEmpty();
    assertThat(loop.highestSynced()).isEqualTo(600);
    assertPublishedInOrder(LONG, 1, 600);
  }

  // ---------------------------------------------------------------- stall watchdog

  /**
   * Verifies that when a peer takes ranges and never answers while another serves honestly, sync
   * stalls at 0 until stallTimeoutMs has passed, then rotates once: the silent peer's ranges go to
   * the honest one and sync completes; the silent peer's late answers are then ignored (nothing
   * applied or published twice), and it is not asked again while it rests.
   */
  @Test
  void theStallWatchdogRotatesAwayFromASilentPeer() throws Exception {
    // (both claim 40, the last certified commit: no empty answers that would rest the honest peer)
    transport.peer(A, SMALL, 40).manual = true;
    // (redundant requests off: this is about the watchdog alone)
    start(new SyncOptions().setBatchSize(5).setStallTimeoutMs(5_000).setHedgeWindowCommits(0), SMALL);
    List<FetchCommits> silent = transport.pendingTo(A);
    assertThat(silent).hasSize(SyncOptions.DEFAULT_MAX_BATCHES_PER_PEER);

    transport.peer(B, SMALL, 40);
    loop.onNewPeer(B);
    assertThat(loop.highestSynced()).isZero();
    loop.tick();
    now[0] += 4_999;
    loop.tick();
    assertThat(stats.stallRotations.get()).isZero();
    assertThat(loop.highestSynced()).isZero();

    now[0] += 1;
    loop.tick();
    assertThat(stats.stallRotations.get()).isEqualTo(1);
    assertThat(loop.highestSynced()).isEqualTo(40);
    int fetchesToA = transport.fetchesTo(A).size();

    silent.forEach(FetchCommits::serve);
    loop.tick();
    assertStoreHolds(SMALL, 0, 40);
    assertPublishedInOrder(SMALL, 1, 40);
    assertThat(stats.commitsApplied.get()).isEqualTo(40);
    assertThat(transport.fetchesTo(A)).hasSize(fetchesToA);
    assertThat(stats.offences.get()).isZero();

    now[0] += 60_000;
    loop.tick();
    assertThat(stats.stallRotations.get()).as("nothing left to sync is no stall").isEqualTo(1);
  }

  // ---------------------------------------------------------------- redundant requests

  /**
   * Verifies that batches a silent peer holds are asked of a second peer once they are late (B
   * serves its own batches at once, so by the measured speed A's are late after the 500 ms
   * minimum, long before the 30 s stall timeout), that the second answers are applied, and that the
   * silent peer's answers arriving afterwards are dropped.
   */
  @Test
  void lateBatchesAreAskedOfASecondPeer() throws Exception {
    transport.peer(A, SMALL, 40).manual = true;
    start(new SyncOptions().setBatchSize(5), SMALL);
    List<FetchCommits> silent = transport.pendingTo(A);
    assertThat(silent).hasSize(SyncOptions.DEFAULT_MAX_BATCHES_PER_PEER);
    transport.peer(B, SMALL, 40);
    loop.onNewPeer(B);
    assertThat(loop.highestSynced()).isZero();

    assertThat(loop.highestSynced()).isZero();
    now[0] += SyncOptions.DEFAULT_HEDGE_MIN_DELAY_MS;
    loop.tick();
    assertThat(stats.hedgesSent.get()).as("not late yet").isZero();
    assertThat(loop.highestSynced()).isZero();

    now[0] += 1;
    loop.tick();
    assertThat(stats.hedgesSent.get()).isEqualTo(SyncOptions.DEFAULT_MAX_BATCHES_PER_PEER);
    assertThat(stats.hedgesWon.get()).isEqualTo(SyncOptions.DEFAULT_MAX_BATCHES_PER_PEER);
    assertThat(loop.highestSynced()).isEqualTo(40);
    assertThat(stats.stallRotations.get()).isZero();

    silent.forEach(FetchCommits::serve);
    loop.tick();
    assertStoreHolds(SMALL, 0, 40);
    assertPublishedInOrder(SMALL, 1, 40);
    assertThat(stats.commitsApplied.get()).isEqualTo(40);
  }

  /** Verifies that a batch is late relative to its peer's measured speed, not a fixed timeout. */
  @Test
  void fetchTimingsAdaptToEachPeer() {
    FetchTimings timings = new FetchTimings(100, 3_000);
    assertThat(timings.lateAfterMs(A, 10, 100)).as("nothing measured").isEqualTo(3_000);
    timings.record(A, 100, 200);
    assertThat(timings.lateAfterMs(A, 10, 100)).isEqualTo(3 * (10 + 200));
    assertThat(timings.lateAfterMs(B, 10, 100)).as("unknown peer: the overall speed").isEqualTo(3 * (10 + 200));
    timings.record(B, 100, 2_000);
    assertThat(timings.lateAfterMs(B, 10, 100)).isEqualTo(3 * (10 + 2_000));
    assertThat(timings.lateAfterMs(A, 0, 1)).as("never sooner than the minimum").isEqualTo(100);
  }

  // ---------------------------------------------------------------- ranges and retries

  /**
   * Verifies that a range no connected peer can serve (a pruned peer holds 300..600 only) does not
   * hold back the ranges it can: they are fetched at once, and the low ones follow as soon as a
   * peer holding them connects.
   */
  @Test
  void aRangeNobodyServesDoesNotHoldBackTheOthers() throws Exception {
    transport.peer(A, LONG, 600).lowest = 300;
    start(new SyncOptions().setBatchSize(100).setMaxBatchesInFlight(4), LONG);
    assertThat(transport.fetchesTo(A)).as("the pruned peer is asked for what it holds").isNotEmpty()
        .allMatch(f -> f.start >= 300);
    assertThat(loop.highestSynced()).isZero();

    transport.peer(B, LONG, 600);
    loop.onNewPeer(B);
    transport.serveAll();
    loop.tick();
    transport.serveAll();
    assertThat(loop.highestSynced()).isEqualTo(600);
    assertPublishedInOrder(LONG, 1, 600);
  }
}
