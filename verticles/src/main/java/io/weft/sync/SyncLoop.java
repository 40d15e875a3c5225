package io.weft.sync;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.Commits;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync loop: every decision of state sync, with no Vert.x timers or sockets. Learns what
 * peers hold (genesis, height, lowest available) into {@link PeerHeights} ({@link PeerProbes});
 * keeps up to {@code maxBatchesInFlight} FetchCommits batches (≤ {@code batchSize} commits each)
 * in flight from different peers, preferring low round-trip time ({@link PeerSelector},
 * {@link InFlightFetches}, ranges to fetch again in the {@link RetryQueue}); fetches each batch's
 * blocks in one stream and verifies on the worker pool in parallel ({@link FetchPipeline}); hands
 * verified batches to the {@link ApplyQueue}, which applies and publishes them strictly in order.
 * A late batch near the tip is asked of a second peer too (hedged); a stall rotates away from the
 * peers holding it ({@link StallWatchdog}). A peer whose data fails verification commits an
 * offence; enough offences and it is disconnected and denied, and its range goes to someone else
 * ({@link PeerFaults}). Single-threaded: every method runs on one loop, and so do the parts it
 * owns.
 */
public final class SyncLoop {

  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** Executors registered at once at most; more are refused. */
  public static final int MAX_EXECUTORS = 64;

  private final SyncOptions options;
  private final String self;
  private final PeerHeights heights;
  private final SyncStatus status;
  private final SyncTransport transport;
  private final Clock clock;
  private final SyncStats stats;
  private final PeerSelector selector;
  private final Penalties penalties;
  private final PeerReputations reputations;
  private final PeerProbes probes;
  private final RetryQueue retry = new RetryQueue();
  private final RestingPeers rests = new RestingPeers();
  private final InFlightFetches fetches;
  private final StallWatchdog watchdog;
  private final PeerFaults faults;
  private final FetchPipeline pipeline;
  private final ExecutorAcks executors;
  private Digest genesis;
  private long lowestAvailable;
  private long nextToSchedule;
  private ApplyQueue applier;
  private boolean stopped;

  public SyncLoop(SyncOptions options, PeerId self, PeerHeights heights, SyncStatus status,
      SyncTransport transport, Clock clock, Random random, SyncStats stats) {
    this(options, self, heights, new PeerRtts(), status, transport, clock, random, stats);
  }

  /** @param rtts where measured round-trip times are published for operators */
  public SyncLoop(SyncOptions options, PeerId self, PeerHeights heights, PeerRtts rtts, SyncStatus status,
      SyncTransport transport, Clock clock, Random random, SyncStats stats) {
    this(options, self, heights, rtts, status, transport, clock, random, stats, new PeerReputations());
  }

  /**
   * @param reputations what peers served, failed and forged (persisted by the node): peer choice
   *     and denials use it, and every outcome is recorded in it
   */
  public SyncLoop(SyncOptions options, PeerId self, PeerHeights heights, PeerRtts rtts, SyncStatus status,
      SyncTransport transport, Clock clock, Random random, SyncStats stats, PeerReputations reputations) {
    this.reputations = reputations;
    this.options = new SyncOptions(options);
    this.self = self.shortId();
    this.heights = heights;
    this.status = status;
    this.transport = transport;
    this.clock = clock;
    this.stats = stats;
    this.selector = new PeerSelector(random, options.getMaxBatchesPerPeer(), reputations);
    this.penalties = new Penalties(options.getMaxOffences(), options.getDenyMs(), reputations);
    this.executors = new ExecutorAcks(this.self, options.getMaxAheadOfExecutors(), options.getExecutorAckTimeoutMs(),
        stats);
    this.probes = new PeerProbes(this.self, heights, rtts, selector, reputations, transport, clock, this::schedule);
    this.fetches = new InFlightFetches(selector,
        new FetchTimings(options.getHedgeMinDelayMs(), options.getHedgeDefaultDelayMs()));
    this.watchdog = new StallWatchdog(this.self, options.getStallTimeoutMs(), options.getDenyMs(), fetches, retry,
        rests, transport, stats);
    this.faults = new PeerFaults(this.self, this.options, retry, rests, watchdog, penalties, reputations, heights,
        transport, stats, clock);
    this.pipeline = new FetchPipeline(transport, stats, this.options.getPinnedCommits(), faults, this::onVerified);
  }

  /** Starts from what the store holds, then probes every connected peer. */
  public void start(Digest genesis, long highestSynced, Digest highestDigest, long lowestAvailable,
      Map<Long, CommitteeView> knownCommittees) {
    this.genesis = genesis;
    this.lowestAvailable = lowestAvailable;
    this.nextToSchedule = highestSynced + 1;
    pipeline.knowCommittees(knownCommittees);
    applier = new ApplyQueue(self, transport, stats, highestSynced, highestDigest,
        options.getConsensusCapacity(), this::onApplied, this::onBrokenLink);
    publishStatus();
    transport.connectedPeers().forEach(probes::probe);
  }

  public void stop() {
    stopped = true;
    if (applier != null) {
      applier.stop();
    }
  }

  public long highestSynced() {
    return applier.highestSynced();
  }

  /** Every tick: watch for a stall, hedge late fetches, ask every connected peer where it is, then schedule. */
  public void tick() {
    if (stopped) {
      return;
    }
    penalties.expire(clock.nowMillis());
    executors.expire(clock.nowMillis());
    if (genesis != null && applier != null) {
      // A peer's own tip has no votes yet (they come with the next commit), so it cannot be served:
      // only a claim beyond tip - 1 counts as something we should be getting.
      watchdog.check(clock.nowMillis(), applier.highestSynced(), heights.highestKnown(genesis) - 1, executors.limit());
    }
    hedgeLateFetches();
    for (PeerId peer : transport.connectedPeers()) {
      if (heights.get(peer).isPresent()) {
        probes.refresh(peer);
      } else {
        probes.probe(peer);
      }
    }
    schedule();
  }

  public void onNewPeer(PeerId peer) {
    probes.probe(peer);
  }

  public void onLostPeer(PeerId peer) {
    probes.forget(peer);
    fetches.forget(peer);
  }

  /** A peer pushed a new height (PeerHeights already raised by the RPC handler). */
  public void onStartSync() {
    schedule();
  }

  /** A commit from local consensus: parsed and checked off the loop, then applied in order. */
  public Future<String> onLocalCommit(SubDagMessage message) {
    if (stopped) {
      return Future.failedFuture("sync is stopping");
    }
    CommitteeView committee;
    try {
      long epoch = Commits.parse(message.commit()).commit().getEpoch();
      committee = pipeline.committee(epoch);
      if (committee == null) {
        throw new ChainVerificationException(ChainVerificationException.Reason.WRONG_EPOCH,
            "commit " + message.index() + " is in epoch " + epoch + ", whose committee we do not know");
      }
    } catch (ChainVerificationException e) {
      stats.localCommitsRejected.incrementAndGet();
      return Future.failedFuture(e.getMessage());
    }
    return transport.verify(() -> LocalCommits.parse(message, committee))
        .recover(e -> {
          stats.localCommitsRejected.incrementAndGet();
          return Future.failedFuture(e.getMessage());
        })
        .compose(batch -> {
          if (batch.nextCommittee() != null) {
            pipeline.learnCommittee(batch.nextCommittee());
          }
          return applier.offerLocal(batch);
        });
  }

  /**
   * An executor registers or acknowledges that it has processed every commit up to {@code index};
   * acknowledgements only raise. Sync then runs at most {@code maxAheadOfExecutors} commits ahead
   * of the slowest executor.
   *
   * @return the highest synced commit
   * @throws IllegalStateException when {@link #MAX_EXECUTORS} others are registered already
   */
  public long onExecutorAck(String name, long index) {
    executors.ack(name, index, clock.nowMillis());
    schedule();
    return applier == null ? -1 : highestSynced();
  }

  /** An executor leaves: it no longer limits sync. @return the highest synced commit */
  public long onExecutorLeave(String name) {
    if (executors.leave(name)) {
      schedule();
    }
    return applier == null ? -1 : highestSynced();
  }

  /** The executors registered and what each acknowledged (for status and tests). */
  public Map<String, Long> executorAcks() {
    return executors.acks();
  }

  /**
   * Keeps up to {@code maxBatchesInFlight} batches in flight: ranges to retry first (lowest
   * first), then new ranges of at most {@code batchSize} up to the claimed tip, within twice the
   * in-flight window above the highest synced commit and the executors' limit, each from a
   * candidate peer the {@link PeerSelector} picks.
   */
  private void schedule() {
    if (stopped || genesis == null) {
      return;
    }
    pipeline.failUnverifiableParked(applier.highestSynced() + 1);
    long now = clock.nowMillis();
    long target = heights.highestKnown(genesis);
    long window = applier.highestSynced() + (long) options.getMaxBatchesInFlight() * options.getBatchSize() * 2;
    long limit = executors.limit();
    Set<PeerId> connected = transport.connectedPeers();
    // ranges no peer can take now wait in retry; the others still go (peers hold different ranges)
    List<FetchRange> deferred = new ArrayList<>();
    while (fetches.size() < options.getMaxBatchesInFlight() && deferred.size() <= options.getMaxBatchesInFlight()) {
      FetchRange range = retry.pollLowest(limit);
      if (range == null) {
        long start = Math.max(nextToSchedule, applier.highestSynced() + 1);
        if (start > target || start > window || start > limit) {
          break;
        }
        range = new FetchRange(start, Math.min(Math.min(start + options.getBatchSize() - 1, target), limit));
        nextToSchedule = range.end() + 1;
      }
      if (range.end() <= applier.highestSynced()) {
        continue;
      }
      range = new FetchRange(Math.max(range.start(), applier.highestSynced() + 1), range.end());
      PeerId peer = selector.choose(candidates(range.start(), range.start(), connected, now));
      if (peer == null) {
        deferred.add(range);
        continue;
      }
      long peerHeight = heights.get(peer).map(PeerHeights.Info::height).orElse(range.end());
      if (peerHeight < range.end()) {
        retry.add(new FetchRange(peerHeight + 1, range.end()));
        range = new FetchRange(range.start(), peerHeight);
      }
      fetch(peer, range, false);
    }
    deferred.forEach(retry::add);
  }

  /** Connected peers that claim {@code start..end}, neither denied nor resting. */
  private List<PeerId> candidates(long start, long end, Set<PeerId> connected, long now) {
    List<PeerId> candidates = new ArrayList<>();
    for (PeerHeights.Info info : heights.onChain(genesis)) {
      PeerId peer = info.peerId();
      if (info.serves(start, end) && connected.contains(peer)
          && !penalties.isDenied(peer, now) && !rests.isResting(peer, now)) {
        candidates.add(peer);
      }
    }
    return candidates;
  }

  /**
   * Redundant requests near the tip: a batch in flight past its peer's adaptive deadline (see
   * {@link FetchTimings}) that the apply queue waits for, or that lies within
   * {@code hedgeWindowCommits} of the highest claimed commit, is asked of a second peer; whichever
   * answer arrives first is taken and the other dropped.
   */
  private void hedgeLateFetches() {
    if (options.getHedgeWindowCommits() == 0 || genesis == null || applier == null || fetches.isEmpty()) {
      return;
    }
    long now = clock.nowMillis();
    Set<PeerId> connected = transport.connectedPeers();
    for (InFlightFetches.Fetch fetch : fetches.late(now, applier.highestSynced() + 1, heights.highestKnown(genesis),
        options.getHedgeWindowCommits())) {
      List<PeerId> others = candidates(fetch.range().start(), fetch.range().end(), connected, now);
      others.remove(fetch.peer());
      PeerId second = selector.choose(others);
      if (second != null) {
        stats.hedgesSent.incrementAndGet();
        LOG.debug("[{}] commits {}..{} from {} are late after {} ms; asking {} too", self, fetch.range().start(),
            fetch.range().end(), fetch.peer().shortId(), now - fetch.sentMs(), second.shortId());
        fetch(second, fetch.range(), true);
      }
    }
  }

  private void fetch(PeerId peer, FetchRange range, boolean hedge) {
    LOG.debug("[{}] fetching {}..{} from {}", self, range.start(), range.end(), peer.shortId());
    InFlightFetches.Fetch fetch = fetches.start(peer, range, hedge, clock.nowMillis());
    pipeline.download(peer, range).onComplete(result -> onFetched(fetch, result));
  }

  /** A fetch answered or failed: the first answer for a range wins; a stale one only tells the peer's speed. */
  private void onFetched(InFlightFetches.Fetch fetch, AsyncResult<FetchedBatch> result) {
    PeerId peer = fetch.peer();
    FetchRange range = fetch.range();
    if (!fetches.isCurrent(fetch)) {
      // Forgotten by the stall watchdog, or the other request for this range answered first.
      LOG.debug("[{}] ignoring a late answer for {}..{} from {}", self, range.start(), range.end(), peer.shortId());
      if (result.succeeded()) {
        // what it served still tells how fast it serves (so a peer always out-run stays measured)
        reputations.served(peer, result.result().bytes(), clock.nowMillis() - fetch.sentMs(), clock.nowMillis());
      }
      return;
    }
    InFlightFetches.Fetch twin = fetches.finish(fetch);
    if (stopped) {
      return;
    }
    if (result.failed() && twin != null) {
      fetches.carryOn(twin);
      faults.failedWithTwinOut(peer, range, result.cause(), twin.peer());
      return;
    }
    if (twin != null) {
      fetches.cancel(twin);
      if (fetch.hedge()) {
        stats.hedgesWon.incrementAndGet();
      }
    }
    if (result.succeeded()) {
      FetchedBatch batch = result.result();
      long elapsedMs = clock.nowMillis() - fetch.sentMs();
      fetches.served(peer, (int) (batch.end() - batch.start() + 1), elapsedMs);
      stats.batchesFetched.incrementAndGet();
      reputations.served(peer, batch.bytes(), elapsedMs, clock.nowMillis());
      if (batch.end() < range.end()) {
        retry.add(new FetchRange(batch.end() + 1, range.end()));
      }
      pipeline.verifyOrPark(batch);
    } else {
      faults.failed(peer, range, result.cause());
    }
    schedule();
  }

  private void onVerified(FetchedBatch batch, AsyncResult<VerifiedBatch> result) {
    if (stopped) {
      return;
    }
    if (result.succeeded()) {
      VerifiedBatch verified = result.result();
      if (verified.nextCommittee() != null) {
        pipeline.learnCommittee(verified.nextCommittee());
      }
      applier.offer(verified);
    } else {
      faults.failed(batch.peer(), FetchRange.of(batch), result.cause());
    }
    schedule();
  }

  private void onBrokenLink(VerifiedBatch batch) {
    if (batch.peer() != null) {
      faults.offence(batch.peer(), new ChainVerificationException(
          ChainVerificationException.Reason.WRONG_PREVIOUS_DIGEST,
          "commit " + batch.start() + " does not follow our commit " + applier.highestSynced()));
    }
    retry.add(new FetchRange(batch.start(), batch.end()));
    schedule();
  }

  private void onApplied(VerifiedBatch batch) {
    watchdog.progressed(batch.peer());
    publishStatus();
    long height = applier.highestSynced();
    for (PeerHeights.Info info : heights.onChain(genesis)) {
      if (info.height() < height && (batch.peer() == null || !info.peerId().equals(batch.peer()))) {
        stats.pushesSent.incrementAndGet();
        transport.pushCommit(info.peerId(), height);
      }
    }
    schedule();
  }

  private void publishStatus() {
    status.set(new SyncStatus.Snapshot(genesis, applier.highestSynced(), lowestAvailable, applier.lastDigest()));
  }
}
