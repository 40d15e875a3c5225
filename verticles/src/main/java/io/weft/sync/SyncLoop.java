package io.weft.sync;

import io.vertx.core.Future;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.Commits;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedCommit;
import io.weft.crypto.PeerId;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.chain.BlockRef;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync loop: every decision of state sync, with no Vert.x timers or sockets. Learns what
 * peers hold (genesis, height, lowest available) into {@link PeerHeights}; keeps up to
 * {@code maxBatchesInFlight} FetchCommits batches (≤ {@code batchSize} commits each) in flight
 * from different peers, preferring low round-trip time; fetches each batch's blocks in one
 * stream; verifies on the worker pool in parallel; hands verified batches to the
 * {@link ApplyQueue}, which applies and publishes them strictly in order. A peer whose data fails
 * verification commits an offence; enough offences and it is disconnected and denied, and its
 * range goes to someone else. Single-threaded: every method runs on one loop.
 */
public final class SyncLoop {

  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** A range of commit indexes, both ends included. */
  private record Range(long start, long end) {
  }

  /**
   * A FetchCommits in flight (with its blocks); a completion that is no longer the range's current
   * attempt is stale and dropped. {@code hedge}: the redundant second request for a late range.
   */
  private record Fetch(Range range, PeerId peer, long generation, long sentMs, boolean hedge) {
  }

  /** An empty FetchCommits answer: no fault of the peer's (its tip has no votes yet), no reputation cost. */
  private static final class NothingServed extends Exception {
    NothingServed(String message) {
      super(message, null, false, false);
    }
  }

  /** Executors registered at once at most; more are refused. */
  public static final int MAX_EXECUTORS = 64;

  private final SyncOptions options;
  private final String self;
  private final PeerHeights heights;
  private final PeerRtts rtts;
  private final SyncStatus status;
  private final SyncTransport transport;
  private final Clock clock;
  private final SyncStats stats;
  private final PeerSelector selector;
  private final Penalties penalties;
  private final PeerReputations reputations;
  private final Map<Long, CommitteeView> committees = new HashMap<>();
  /** Ranges to fetch again, by start: the lowest (what the apply queue waits for) goes first. */
  private final java.util.TreeMap<Long, Range> retry = new java.util.TreeMap<>();
  private final Map<Long, Fetch> inFlight = new HashMap<>();
  /** Second requests for late ranges, by range start; the first answer of the two wins. */
  private final Map<Long, Fetch> hedges = new HashMap<>();
  private final FetchTimings timings;
  /** Peers that failed or stalled a fetch since the highest synced commit last moved. */
  private final Set<PeerId> failedSinceProgress = new java.util.LinkedHashSet<>();
  /** Stall rotations each peer took part in; its rest doubles with each. */
  private final Map<PeerId, Integer> stallStrikes = new HashMap<>();
  private final ExecutorAcks executors;
  private long generation;
  private long stallIndex = -1;
  private long stallSinceMs;
  private final List<FetchedBatch> parked = new ArrayList<>();
  private final Map<PeerId, Long> restUntil = new HashMap<>();
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
    this.rtts = rtts;
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
    this.timings = new FetchTimings(options.getHedgeMinDelayMs(), options.getHedgeDefaultDelayMs());
  }

  /** Starts from what the store holds, then probes every connected peer. */
  public void start(Digest genesis, long highestSynced, Digest highestDigest, long lowestAvailable,
      Map<Long, CommitteeView> knownCommittees) {
    this.genesis = genesis;
    this.lowestAvailable = lowestAvailable;
    this.nextToSchedule = highestSynced + 1;
    committees.putAll(knownCommittees);
    applier = new ApplyQueue(self, transport, stats, highestSynced, highestDigest,
        options.getConsensusCapacity(), this::onApplied, this::onBrokenLink);
    publishStatus();
    transport.connectedPeers().forEach(this::probe);
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

  /** Every tick: ask every connected peer where it is, then schedule. */
  public void tick() {
    if (stopped) {
      return;
    }
    penalties.expire(clock.nowMillis());
    executors.expire(clock.nowMillis());
    watchStall();
    hedgeLateFetches();
    for (PeerId peer : transport.connectedPeers()) {
      if (heights.get(peer).isPresent()) {
        refresh(peer);
      } else {
        probe(peer);
      }
    }
    schedule();
  }

  public void onNewPeer(PeerId peer) {
    probe(peer);
  }

  public void onLostPeer(PeerId peer) {
    heights.remove(peer);
    selector.forget(peer);
    rtts.remove(peer);
    timings.forget(peer);
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
      committee = committees.get(epoch);
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
            learnCommittee(batch.nextCommittee());
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
   * The stall watchdog: when the highest synced commit has not moved for {@code stallTimeoutMs}
   * while a peer claims more (and no executor holds sync back), forgets every fetch in flight
   * (their late answers are dropped), puts their ranges back to retry, rests the peers that held
   * them for {@code stallTimeoutMs} so others get them, and starts the clock again.
   */
  private void watchStall() {
    if (genesis == null || applier == null) {
      return;
    }
    long now = clock.nowMillis();
    long synced = applier.highestSynced();
    // A peer's own tip has no votes yet (they come with the next commit), so it cannot be served:
    // only a claim beyond tip - 1 counts as something we should be getting.
    long target = heights.highestKnown(genesis) - 1;
    if (synced != stallIndex || target <= synced || synced + 1 > executors.limit()) {
      stallIndex = synced;
      stallSinceMs = now;
      return;
    }
    long stalledMs = now - stallSinceMs;
    if (stalledMs < options.getStallTimeoutMs()) {
      return;
    }
    stats.stallRotations.incrementAndGet();
    List<Fetch> forgotten = new ArrayList<>(inFlight.values());
    hedges.values().forEach(hedge -> selector.finished(hedge.peer()));
    hedges.values().forEach(hedge -> failedSinceProgress.add(hedge.peer()));
    hedges.clear();
    for (Fetch fetch : forgotten) {
      selector.finished(fetch.peer());
      retryLater(fetch.range());
      failedSinceProgress.add(fetch.peer());
    }
    inFlight.clear();
    for (PeerId peer : failedSinceProgress) {
      int strikes = stallStrikes.merge(peer, 1, Integer::sum);
      long rest = Math.min(options.getDenyMs(), options.getStallTimeoutMs() << Math.min(strikes - 1, 10));
      restUntil.put(peer, now + rest);
    }
    LOG.warn("[{}] sync stalled at commit {} for {} ms while peers claim up to {}; rotating: {} fetch(es) in"
        + " flight forgotten, peers {} rested; asking discovery for peers serving {}", self, synced, stalledMs,
        target, forgotten.size(), failedSinceProgress.stream().map(PeerId::shortId).toList(), synced + 1);
    stats.rangeRequests.incrementAndGet();
    transport.wantRange(synced + 1, Set.copyOf(failedSinceProgress));
    stallSinceMs = now;
  }

  private void probe(PeerId peer) {
    long sent = clock.nowMillis();
    transport.genesisOf(peer)
        .compose(info -> transport.availability(peer).map(availability -> {
          recordRtt(peer, clock.nowMillis() - sent);
          if (info.hasInfo() && info.getInfo().getIndex() == 0) {
            heights.put(peer, Digest.of(info.getInfo().getDigest().toByteArray()),
                availability.getHighestSyncedCommit(), availability.getLowestAvailableCommit());
            LOG.debug("[{}] peer {} holds chain {} up to {}", self, peer.shortId(),
                Digest.of(info.getInfo().getDigest().toByteArray()).shortHex(), availability.getHighestSyncedCommit());
          }
          return null;
        }))
        .onSuccess(v -> schedule())
        .onFailure(e -> LOG.debug("[{}] could not probe {}: {}", self, peer.shortId(), e.getMessage()));
  }

  private void refresh(PeerId peer) {
    long sent = clock.nowMillis();
    transport.availability(peer).onSuccess(availability -> {
      recordRtt(peer, clock.nowMillis() - sent);
      heights.raiseHeight(peer, availability.getHighestSyncedCommit());
    });
  }

  private void recordRtt(PeerId peer, long sampleMs) {
    selector.recordRtt(peer, sampleMs);
    reputations.rtt(peer, sampleMs, clock.nowMillis());
    rtts.put(peer, Math.round(selector.rtt(peer)));
  }

  private void schedule() {
    if (stopped || genesis == null) {
      return;
    }
    failUnverifiableParked();
    long now = clock.nowMillis();
    long target = heights.highestKnown(genesis);
    long window = applier.highestSynced() + (long) options.getMaxBatchesInFlight() * options.getBatchSize() * 2;
    long limit = executors.limit();
    Set<PeerId> connected = transport.connectedPeers();
    // ranges no peer can take now wait in retry; the others still go (peers hold different ranges)
    List<Range> deferred = new ArrayList<>();
    while (inFlight.size() < options.getMaxBatchesInFlight() && deferred.size() <= options.getMaxBatchesInFlight()) {
      Range range = pollRetry(limit);
      if (range == null) {
        long start = Math.max(nextToSchedule, applier.highestSynced() + 1);
        if (start > target || start > window || start > limit) {
          break;
        }
        range = new Range(start, Math.min(Math.min(start + options.getBatchSize() - 1, target), limit));
        nextToSchedule = range.end() + 1;
      }
      if (range.end() <= applier.highestSynced()) {
        continue;
      }
      range = new Range(Math.max(range.start(), applier.highestSynced() + 1), range.end());
      PeerId peer = selector.choose(candidates(range.start(), range.start(), connected, now));
      if (peer == null) {
        deferred.add(range);
        continue;
      }
      long peerHeight = heights.get(peer).map(PeerHeights.Info::height).orElse(range.end());
      if (peerHeight < range.end()) {
        retryLater(new Range(peerHeight + 1, range.end()));
        range = new Range(range.start(), peerHeight);
      }
      fetch(peer, range, false);
    }
    deferred.forEach(this::retryLater);
  }

  /** Queues {@code range} to be fetched again (of two with one start, the longer is kept). */
  private void retryLater(Range range) {
    retry.merge(range.start(), range, (a, b) -> a.end() >= b.end() ? a : b);
  }

  /** Connected peers that claim {@code start..end}, neither denied nor resting. */
  private List<PeerId> candidates(long start, long end, Set<PeerId> connected, long now) {
    List<PeerId> candidates = new ArrayList<>();
    for (PeerHeights.Info info : heights.onChain(genesis)) {
      PeerId peer = info.peerId();
      if (info.serves(start, end) && connected.contains(peer)
          && !penalties.isDenied(peer, now) && restUntil.getOrDefault(peer, 0L) <= now) {
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
    if (options.getHedgeWindowCommits() == 0 || genesis == null || applier == null || inFlight.isEmpty()) {
      return;
    }
    long now = clock.nowMillis();
    long next = applier.highestSynced() + 1;
    long tip = heights.highestKnown(genesis);
    Set<PeerId> connected = transport.connectedPeers();
    List<Fetch> late = new ArrayList<>();
    for (Fetch fetch : inFlight.values()) {
      Range range = fetch.range();
      boolean nearTip = range.start() <= next || tip - range.end() <= options.getHedgeWindowCommits();
      int commits = (int) (range.end() - range.start() + 1);
      if (nearTip && !hedges.containsKey(range.start())
          && now - fetch.sentMs() > timings.lateAfterMs(fetch.peer(), selector.rtt(fetch.peer()), commits)) {
        late.add(fetch);
      }
    }
    late.sort((a, b) -> Long.compare(a.range().start(), b.range().start()));
    for (Fetch fetch : late) {
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

  /** The lowest range to retry, unless it starts above {@code limit} (the executors' limit). */
  private Range pollRetry(long limit) {
    var first = retry.firstEntry();
    if (first == null || first.getKey() > limit) {
      return null;
    }
    retry.remove(first.getKey());
    return first.getValue();
  }

  private void fetch(PeerId peer, Range range, boolean hedge) {
    LOG.debug("[{}] fetching {}..{} from {}", self, range.start(), range.end(), peer.shortId());
    selector.started(peer);
    Fetch fetch = new Fetch(range, peer, ++generation, clock.nowMillis(), hedge);
    (hedge ? hedges : inFlight).put(range.start(), fetch);
    transport.fetchCommits(peer, range.start(), range.end())
        .compose(response -> fetchBlocks(peer, range, response))
        .onComplete(ar -> {
          long start = range.start();
          if (inFlight.get(start) != fetch && hedges.get(start) != fetch) {
            // Forgotten by the stall watchdog, or the other request for this range answered first.
            LOG.debug("[{}] ignoring a late answer for {}..{} from {}", self, start, range.end(), peer.shortId());
            if (ar.succeeded()) {
              // what it served still tells how fast it serves (so a peer always out-run stays measured)
              reputations.served(peer, ar.result().bytes(), clock.nowMillis() - fetch.sentMs(), clock.nowMillis());
            }
            return;
          }
          Fetch other = inFlight.get(start) == fetch ? hedges.get(start) : inFlight.get(start);
          inFlight.remove(start, fetch);
          hedges.remove(start, fetch);
          selector.finished(peer);
          if (stopped) {
            return;
          }
          if (ar.failed() && other != null) {
            // the other request for this range is still out: it carries on alone
            hedges.remove(start, other);
            inFlight.put(start, other);
            if (ServingBudget.isBusy(ar.cause())) {
              busy(peer);
              return;
            }
            failedSinceProgress.add(peer);
            stats.fetchFailures.incrementAndGet();
            if (!(ar.cause() instanceof NothingServed)) {
              reputations.failed(peer, clock.nowMillis());
            }
            LOG.debug("[{}] fetching {}..{} from {} failed ({}); {} still asked", self, range.start(), range.end(),
                peer.shortId(), ar.cause().getMessage(), other.peer().shortId());
            return;
          }
          if (other != null) {
            inFlight.remove(start, other);
            hedges.remove(start, other);
            selector.finished(other.peer());
            if (hedge) {
              stats.hedgesWon.incrementAndGet();
            }
          }
          if (ar.succeeded()) {
            FetchedBatch batch = ar.result();
            timings.record(peer, (int) (batch.end() - batch.start() + 1), clock.nowMillis() - fetch.sentMs());
            stats.batchesFetched.incrementAndGet();
            reputations.served(peer, batch.bytes(), clock.nowMillis() - fetch.sentMs(), clock.nowMillis());
            if (batch.end() < range.end()) {
              retryLater(new Range(batch.end() + 1, range.end()));
            }
            verifyOrPark(batch, range);
          } else {
            failed(peer, range, ar.cause());
          }
          schedule();
        });
  }

  private Future<FetchedBatch> fetchBlocks(PeerId peer, Range range, FetchCommitsResponse response) {
    List<byte[]> commits = new ArrayList<>(response.getCommitsCount());
    List<List<BlockRef>> refs = new ArrayList<>(response.getCommitsCount());
    long epoch;
    try {
      if (response.getCommitsCount() == 0) {
        // Not an offence: an honest peer cannot serve commits that have no certificate yet.
        return Future.failedFuture(new NothingServed("peer served no certified commits for " + range.start() + ".."
            + range.end()));
      }
      if (response.getCommitsCount() > range.end() - range.start() + 1) {
        throw new ChainVerificationException(ChainVerificationException.Reason.MALFORMED,
            "peer served " + response.getCommitsCount() + " commits for " + range.start() + ".." + range.end());
      }
      long firstEpoch = -1;
      for (var bytes : response.getCommitsList()) {
        VerifiedCommit commit = Commits.parse(bytes.toByteArray());
        commits.add(commit.bytes());
        refs.add(commit.commit().getBlocksList());
        if (firstEpoch < 0) {
          firstEpoch = commit.commit().getEpoch();
        }
      }
      epoch = firstEpoch;
    } catch (ChainVerificationException e) {
      return Future.failedFuture(e);
    }
    List<byte[]> certifiers = response.getCertifierBlocksList().stream().map(b -> b.toByteArray()).toList();
    List<BlockRef> allRefs = refs.stream().flatMap(List::stream).toList();
    stats.bytesFetched.addAndGet(response.getSerializedSize());
    return transport.fetchBlocks(peer, allRefs).map(blocks -> {
      blocks.forEach(b -> stats.bytesFetched.addAndGet(b.length));
      return new FetchedBatch(peer, range.start(), epoch, commits, certifiers, refs, blocks);
    });
  }

  private void verifyOrPark(FetchedBatch batch, Range range) {
    CommitteeView committee = committees.get(batch.epoch());
    if (committee == null) {
      parked.add(batch);
      return;
    }
    Map<Long, Digest> pinned = options.getPinnedCommits();
    transport.verify(() -> BatchVerifier.verify(batch, committee, pinned)).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        VerifiedBatch verified = ar.result();
        if (verified.nextCommittee() != null) {
          learnCommittee(verified.nextCommittee());
        }
        applier.offer(verified);
      } else {
        failed(batch.peer(), new Range(batch.start(), batch.end()), ar.cause());
      }
      schedule();
    });
  }

  /**
   * A parked batch waits for its epoch's committee, which a commit before it announces. Once every
   * commit before the batch is applied, an honest batch's committee is known; one still parked
   * claims an epoch nobody announced: an offence, and its range is fetched again elsewhere.
   */
  private void failUnverifiableParked() {
    long next = applier.highestSynced() + 1;
    List<FetchedBatch> stuck = new ArrayList<>();
    parked.removeIf(b -> b.start() <= next && !committees.containsKey(b.epoch()) && stuck.add(b));
    for (FetchedBatch b : stuck) {
      failed(b.peer(), new Range(b.start(), b.end()), new ChainVerificationException(
          ChainVerificationException.Reason.WRONG_EPOCH, "commits " + b.start() + ".." + b.end()
              + " claim epoch " + b.epoch() + ", which no commit up to " + (next - 1) + " announced"));
    }
  }

  private void learnCommittee(CommitteeView committee) {
    committees.putIfAbsent(committee.epoch(), committee);
    List<FetchedBatch> waiting = new ArrayList<>(parked);
    parked.clear();
    for (FetchedBatch batch : waiting) {
      verifyOrPark(batch, new Range(batch.start(), batch.end()));
    }
  }

  private void failed(PeerId peer, Range range, Throwable cause) {
    retryLater(range);
    if (ServingBudget.isBusy(cause)) {
      busy(peer);
      return;
    }
    failedSinceProgress.add(peer);
    if (cause instanceof ChainVerificationException bad) {
      offence(peer, bad);
    } else {
      stats.fetchFailures.incrementAndGet();
      if (!(cause instanceof NothingServed)) {
        reputations.failed(peer, clock.nowMillis());
      }
      restUntil.put(peer, clock.nowMillis() + options.getRetryDelayMs());
      LOG.debug("[{}] fetching {}..{} from {} failed: {}", self, range.start(), range.end(),
          peer.shortId(), cause.getMessage());
    }
  }

  /**
   * A peer refused for lack of serving budget: no fault and no reputation lost; it rests for
   * {@code retryDelayMs} and its range goes to another peer that holds it.
   */
  private void busy(PeerId peer) {
    stats.busyRefusals.incrementAndGet();
    restUntil.put(peer, clock.nowMillis() + options.getRetryDelayMs());
    LOG.debug("[{}] peer {} is busy; resting it {} ms", self, peer.shortId(), options.getRetryDelayMs());
  }

  private void offence(PeerId peer, ChainVerificationException bad) {
    stats.offences.incrementAndGet();
    stats.verificationFailed(bad.reason());
    long until = penalties.offence(peer, clock.nowMillis());
    LOG.warn("[{}] peer {} served data that failed verification ({}): {}", self, peer.shortId(),
        bad.reason(), bad.getMessage());
    if (until > 0) {
      stats.denials.incrementAndGet();
      heights.remove(peer);
      LOG.warn("[{}] denying peer {} for {} ms after {} offences", self, peer.shortId(),
          options.getDenyMs(), options.getMaxOffences());
      transport.deny(peer, until, "served data that failed verification");
    }
  }

  private void onBrokenLink(VerifiedBatch batch) {
    if (batch.peer() != null) {
      offence(batch.peer(), new ChainVerificationException(ChainVerificationException.Reason.WRONG_PREVIOUS_DIGEST,
          "commit " + batch.start() + " does not follow our commit " + applier.highestSynced()));
    }
    retryLater(new Range(batch.start(), batch.end()));
    schedule();
  }

  private void onApplied(VerifiedBatch batch) {
    failedSinceProgress.clear();
    if (batch.peer() != null) {
      stallStrikes.remove(batch.peer());
    }
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
