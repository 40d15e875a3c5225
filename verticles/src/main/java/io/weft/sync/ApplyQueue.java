package io.weft.sync;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.chain.BlockRefs;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedBlock;
import io.weft.chain.VerifiedCommit;
import io.weft.proto.chain.CommitVote;
import io.weft.store.ApplyBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies verified commits strictly in index order: batches from sync (which may arrive out of
 * order) and commits from local consensus. Each applied batch is one atomic store write; then its
 * sub-DAGs are published in order and the new height reported. Loop-owned; one apply at a time.
 *
 * <p>Invariant: {@code highestSynced} and {@code lastDigest} always describe the last commit
 * durably in the store, and a batch is applied only when its first commit's previous digest is
 * {@code lastDigest}.
 */
final class ApplyQueue {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyQueue.class);

  /** A commit from local consensus waiting for its turn, and who to answer. */
  private record LocalCommit(VerifiedBatch batch, Promise<String> reply) {
  }

  private final String self;
  private final SyncTransport transport;
  private final SyncStats stats;
  private final Consumer<VerifiedBatch> onApplied;
  private final Consumer<VerifiedBatch> onBrokenLink;
  private final int localCapacity;
  private final TreeMap<Long, VerifiedBatch> ready = new TreeMap<>();
  private final Deque<LocalCommit> local = new ArrayDeque<>();
  private long highestSynced;
  private Digest lastDigest;
  private boolean applying;
  private boolean stopped;

  ApplyQueue(String self, SyncTransport transport, SyncStats stats, long highestSynced,
      Digest lastDigest, int localCapacity, Consumer<VerifiedBatch> onApplied,
      Consumer<VerifiedBatch> onBrokenLink) {
    this.self = self;
    this.transport = transport;
    this.stats = stats;
    this.highestSynced = highestSynced;
    this.lastDigest = lastDigest;
    this.localCapacity = localCapacity;
    this.onApplied = onApplied;
    this.onBrokenLink = onBrokenLink;
  }

  long highestSynced() {
    return highestSynced;
  }

  Digest lastDigest() {
    return lastDigest;
  }

  /** Commits verified but not yet applied (bounded by the scheduler's window). */
  int buffered() {
    return ready.values().stream().mapToInt(b -> b.subDags().size()).sum();
  }

  void offer(VerifiedBatch batch) {
    if (!stopped && batch.end() > highestSynced) {
      ready.merge(batch.start(), batch, (a, b) -> a.end() >= b.end() ? a : b);
      pump();
    }
  }

  /** A commit from local consensus; the reply says "applied" or "ignored", or fails with why. */
  Future<String> offerLocal(VerifiedBatch batch) {
    if (local.size() >= localCapacity) {
      stats.localCommitsRejected.incrementAndGet();
      return Future.failedFuture("local consensus input is full (" + localCapacity + ")");
    }
    Promise<String> reply = Promise.promise();
    local.add(new LocalCommit(batch, reply));
    pump();
    return reply.future();
  }

  void stop() {
    stopped = true;
    local.forEach(l -> l.reply().tryFail("sync is stopping"));
    local.clear();
    ready.clear();
  }

  private void pump() {
    while (!applying && !stopped) {
      if (!local.isEmpty()) {
        LocalCommit next = local.poll();
        long index = next.batch().start();
        if (index <= highestSynced) {
          next.reply().complete("ignored");
          continue;
        }
        Digest previous = previousDigest(next.batch());
        if (index != highestSynced + 1 || !previous.equals(lastDigest)) {
          stats.localCommitsRejected.incrementAndGet();
          String why = index != highestSynced + 1
              ? "commit " + index + " does not follow our highest synced commit " + highestSynced
              : "commit " + index + " has previous digest " + previous.shortHex()
                  + " but our commit " + highestSynced + " is " + lastDigest.shortHex();
          LOG.warn("[{}] rejected a local consensus commit: {}", self, why);
          next.reply().fail(why);
          continue;
        }
        apply(next.batch()).onComplete(ar -> {
          if (ar.succeeded()) {
            stats.localCommitsApplied.incrementAndGet();
            next.reply().complete("applied");
          } else {
            next.reply().fail("store write failed: " + ar.cause().getMessage());
          }
        });
        return;
      }
      Map.Entry<Long, VerifiedBatch> first = ready.firstEntry();
      if (first == null || first.getKey() > highestSynced + 1) {
        return;
      }
      VerifiedBatch batch = ready.pollFirstEntry().getValue();
      if (batch.end() <= highestSynced) {
        continue;
      }
      if (batch.start() <= highestSynced) {
        batch = trim(batch, highestSynced + 1);
      }
      if (!previousDigest(batch).equals(lastDigest)) {
        onBrokenLink.accept(batch);
        continue;
      }
      apply(batch);
      return;
    }
  }

  private Future<Void> apply(VerifiedBatch batch) {
    applying = true;
    return transport.apply(() -> toStoreBatch(batch)).onComplete(ar -> {
      applying = false;
      if (ar.failed()) {
        stats.storeFailures.incrementAndGet();
        LOG.error("[{}] store write of commits {}..{} failed: {}", self, batch.start(), batch.end(),
            ar.cause().getMessage());
        pump();
        return;
      }
      CommittedSubDag last = batch.subDags().get(batch.subDags().size() - 1);
      highestSynced = last.index();
      lastDigest = last.commit().digest();
      List<SubDagMessage> applied = new ArrayList<>(batch.subDags().size());
      for (CommittedSubDag subDag : batch.subDags()) {
        stats.commitsApplied.incrementAndGet();
        stats.blocksApplied.addAndGet(subDag.blocks().size());
        applied.add(SubDagMessage.of(subDag));
      }
      transport.publishAll(applied);
      onApplied.accept(batch);
      pump();
    }).mapEmpty();
  }

  static ApplyBatch toStoreBatch(VerifiedBatch batch) {
    ApplyBatch.Builder write = ApplyBatch.builder();
    for (CommittedSubDag subDag : batch.subDags()) {
      VerifiedCommit commit = subDag.commit();
      write.commit(commit.index(), commit.digest().toBytes(), commit.bytes());
      subDag.blocks().forEach(block -> addBlock(write, block));
    }
    batch.certifiers().forEach(block -> addBlock(write, block));
    if (batch.nextCommittee() != null) {
      write.committee(batch.nextCommittee().epoch(), batch.nextCommittee().proto().toByteArray());
    }
    return write.build();
  }

  private static void addBlock(ApplyBatch.Builder write, VerifiedBlock block) {
    byte[] key = BlockRefs.key(block.ref());
    write.block(key, block.bytes());
    for (CommitVote vote : block.block().getCommitVotesList()) {
      write.certifier(vote.getIndex(), key);
    }
  }

  private static Digest previousDigest(VerifiedBatch batch) {
    return Digest.of(batch.subDags().get(0).commit().commit().getPreviousDigest().toByteArray());
  }

  private static VerifiedBatch trim(VerifiedBatch batch, long from) {
    int skip = (int) (from - batch.start());
    return new VerifiedBatch(batch.peer(), batch.subDags().subList(skip, batch.subDags().size()),
        batch.certifiers(), batch.nextCommittee());
  }
}
