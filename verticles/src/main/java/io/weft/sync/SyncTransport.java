package io.weft.sync;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.chain.BlockRef;
import io.weft.store.ApplyBatch;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Everything {@link SyncLoop} needs from the world. The verticle wires it to gRPC, the worker
 * pool and the store; a simulator can wire it to memory. Futures complete on the loop's thread.
 */
public interface SyncTransport {

  Set<PeerId> connectedPeers();

  /** GetCommitInfo(ByIndex 0): the peer's genesis commit. */
  Future<GetCommitInfoResponse> genesisOf(PeerId peer);

  Future<GetCommitAvailabilityResponse> availability(PeerId peer);

  Future<FetchCommitsResponse> fetchCommits(PeerId peer, long start, long end);

  /** FetchBlocks, the stream collected; fails when the peer sends more than asked (plus ancestors). */
  Future<List<byte[]>> fetchBlocks(PeerId peer, List<BlockRef> refs);

  Future<Void> pushCommit(PeerId peer, long index);

  /** CPU work (signature checks) on the worker pool, in parallel. */
  <T> Future<T> verify(Callable<T> work);

  /**
   * Writes one verified batch to the store (one atomic write, WAL synced), one batch at a time, in
   * submission order, off the event loop. The verticle writes to its RocksDB {@code ChainStore};
   * the simulator to an in-memory chain with the same ordering rule. {@code batch} is built where
   * the write runs (it copies every key and block of the batch), not on the sync loop.
   */
  Future<Void> apply(Supplier<ApplyBatch> batch);

  /** Publishes an applied commit to executors, after every commit published before it. */
  void publish(SubDagMessage subDag);

  /** Publishes applied commits to executors, in list order, after every commit published before them. */
  default void publishAll(List<SubDagMessage> subDags) {
    subDags.forEach(this::publish);
  }

  /**
   * Asks discovery for peers whose signed data range covers {@code index} (beyond the connection
   * target), naming the peers that failed to serve it. Never waits; may be dropped when discovery's
   * mailbox is full.
   */
  default void wantRange(long index, Set<PeerId> failing) {
  }

  /** Disconnects {@code peer} and refuses it until {@code untilMs}. */
  void deny(PeerId peer, long untilMs, String reason);
}
