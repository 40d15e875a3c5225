package io.weft.sync;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.Commits;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedCommit;
import io.weft.crypto.PeerId;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.chain.BlockRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From a range to a verified batch: FetchCommits, then every block of the batch in one FetchBlocks
 * stream ({@link #download}); then, once the committee of the batch's epoch is known, verification
 * on the worker pool ({@link #verifyOrPark}). A batch whose committee is not known yet is parked
 * until a commit before it announces that committee ({@link #learnCommittee}); one still parked
 * when every commit before it is applied claims an epoch nobody announced, an offence
 * ({@link #failUnverifiableParked}). Keeps the committees by epoch. Loop-owned.
 */
final class FetchPipeline {

  /** Where each verification ends up (called on the loop). */
  interface Verified {
    void verified(FetchedBatch batch, AsyncResult<VerifiedBatch> result);
  }

  /** An empty FetchCommits answer: no fault of the peer's (its tip has no votes yet), no reputation cost. */
  static final class NothingServed extends Exception {
    NothingServed(String message) {
      super(message, null, false, false);
    }
  }

  private final SyncTransport transport;
  private final SyncStats stats;
  private final Map<Long, Digest> pinned;
  private final PeerFaults faults;
  private final Verified verified;
  private final Map<Long, CommitteeView> committees = new HashMap<>();
  private final List<FetchedBatch> parked = new ArrayList<>();

  /**
   * @param pinned commit digests a batch must match (instead of a certificate)
   * @param faults where a parked batch nobody can verify is charged
   * @param verified where each verification's outcome goes
   */
  FetchPipeline(SyncTransport transport, SyncStats stats, Map<Long, Digest> pinned, PeerFaults faults,
      Verified verified) {
    this.transport = transport;
    this.stats = stats;
    this.pinned = pinned;
    this.faults = faults;
    this.verified = verified;
  }

  /** Committees known from the store at start. */
  void knowCommittees(Map<Long, CommitteeView> known) {
    committees.putAll(known);
  }

  /** The committee of {@code epoch}, or null while no commit announced it. */
  CommitteeView committee(long epoch) {
    return committees.get(epoch);
  }

  /**
   * Asks {@code peer} for the commits of {@code range}, then for all their blocks. Fails with a
   * {@link ChainVerificationException} for a malformed answer, {@link NothingServed} for an empty
   * one; the commits are parsed here but verified later.
   */
  Future<FetchedBatch> download(PeerId peer, FetchRange range) {
    return transport.fetchCommits(peer, range.start(), range.end())
        .compose(response -> fetchBlocks(peer, range, response));
  }

  private Future<FetchedBatch> fetchBlocks(PeerId peer, FetchRange range, FetchCommitsResponse response) {
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

  /** Verifies {@code batch} on the worker pool, or parks it until its epoch's committee is known. */
  void verifyOrPark(FetchedBatch batch) {
    CommitteeView committee = committees.get(batch.epoch());
    if (committee == null) {
      parked.add(batch);
      return;
    }
    transport.verify(() -> BatchVerifier.verify(batch, committee, pinned))
        .onComplete(result -> verified.verified(batch, result));
  }

  /** A commit announced the next epoch's committee: batches parked for it go to verification. */
  void learnCommittee(CommitteeView committee) {
    committees.putIfAbsent(committee.epoch(), committee);
    List<FetchedBatch> waiting = new ArrayList<>(parked);
    parked.clear();
    for (FetchedBatch batch : waiting) {
      verifyOrPark(batch);
    }
  }

  /**
   * A parked batch waits for its epoch's committee, which a commit before it announces. Once every
   * commit before the batch is applied ({@code next} is the next commit to apply), an honest
   * batch's committee is known; one still parked claims an epoch nobody announced: an offence, and
   * its range is fetched again elsewhere.
   */
  void failUnverifiableParked(long next) {
    List<FetchedBatch> stuck = new ArrayList<>();
    parked.removeIf(b -> b.start() <= next && !committees.containsKey(b.epoch()) && stuck.add(b));
    for (FetchedBatch b : stuck) {
      faults.failed(b.peer(), FetchRange.of(b), new ChainVerificationException(
          ChainVerificationException.Reason.WRONG_EPOCH, "commits " + b.start() + ".." + b.end()
              + " claim epoch " + b.epoch() + ", which no commit up to " + (next - 1) + " announced"));
    }
  }
}
