package io.weft.sim;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.weft.chain.Digests;
import io.vertx.grpc.common.GrpcStatus;
import io.weft.crypto.PeerId;
import io.weft.network.RpcStatusException;
import io.weft.proto.CommitInfo;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.PushCommitRequest;
import io.weft.proto.PushCommitResponse;
import io.weft.sync.CommitServing;
import io.weft.sync.PeerHeights;
import io.weft.sync.ServingBudget;
import io.weft.sync.StartState;
import io.weft.sync.SyncLoop;
import io.weft.sync.SyncOptions;
import io.weft.sync.SyncRpcHandler;
import io.weft.sync.SyncStats;
import io.weft.sync.SyncStatus;
import java.util.List;
import java.util.Random;

/**
 * State sync of one simulated node incarnation: the production {@link SyncLoop} wired to
 * {@link SimSyncTransport}, and the server side of the sync RPCs over the node's
 * {@link SimChainStore}, by the production rules ({@link CommitServing#readCertifiedRange},
 * {@link SyncRpcHandler#blockKeys}, {@link SyncRpcHandler#pushStartsSync}, the {@link ServingBudget}
 * that refuses FetchCommits with RESOURCE_EXHAUSTED). Counts what it serves and refuses.
 */
final class SimSync {

  private final SimWorld world;
  private final SimChainStore store;
  private final SimNode.Served served;
  private final PeerHeights heights = new PeerHeights();
  private final SyncStatus status = new SyncStatus();
  private final SyncLoop loop;
  private final ServingBudget budget;
  private final PeerId selfId;

  SimSync(SimWorld world, int self, SimConnections connections, SimChainStore store, SyncOptions options,
      Random random, SyncStats stats, SimNode.Served served) {
    this.world = world;
    this.store = store;
    this.served = served;
    this.budget = new ServingBudget(options, stats.servingRefused);
    this.selfId = world.node(self).peerId();
    this.loop = new SyncLoop(options, world.node(self).peerId(), heights, status,
        new SimSyncTransport(world, self, connections, store, options), world.clock(), random, stats);
  }

  void start() throws Exception {
    StartState start = StartState.read(store);
    loop.start(start.genesis(), start.highestSynced(), start.highestDigest(), start.lowestAvailable(),
        start.committees());
  }

  SyncLoop loop() {
    return loop;
  }

  long highestSynced() {
    return store.highestSynced();
  }

  /** What this node serves, as signed into its node info (null before genesis). */
  io.weft.discovery.CommitRange dataRange() {
    SyncStatus.Snapshot now = status.get();
    return now.genesis() == null || now.highestSynced() < now.lowestAvailable() ? null
        : new io.weft.discovery.CommitRange(now.lowestAvailable(), now.highestSynced());
  }

  /** The commit sync needs next; -1 before genesis. */
  long neededCommit() {
    SyncStatus.Snapshot now = status.get();
    return now.genesis() == null ? -1 : now.highestSynced() + 1;
  }

  Future<GetCommitAvailabilityResponse> availability() {
    SyncStatus.Snapshot now = status.get();
    if (now.genesis() == null) {
      return Future.failedFuture("UNAVAILABLE: this node holds no chain yet");
    }
    return Future.succeededFuture(GetCommitAvailabilityResponse.newBuilder()
        .setHighestSyncedCommit(now.highestSynced()).setLowestAvailableCommit(now.lowestAvailable()).build());
  }

  Future<GetCommitInfoResponse> commitInfo(GetCommitInfoRequest request) {
    if (request.getQueryCase() != GetCommitInfoRequest.QueryCase.BY_INDEX || request.getByIndex() < 0) {
      return Future.failedFuture("INVALID_ARGUMENT: the simulated server answers GetCommitInfo by index only");
    }
    long index = request.getByIndex();
    return Future.succeededFuture(store.commit(index)
        .map(bytes -> GetCommitInfoResponse.newBuilder().setInfo(CommitInfo.newBuilder().setIndex(index)
            .setDigest(ByteString.copyFrom(Digests.blake2b256(bytes).toBytes()))).build())
        .orElse(GetCommitInfoResponse.getDefaultInstance()));
  }

  Future<FetchCommitsResponse> fetchCommits(PeerId caller, FetchCommitsRequest request) {
    long start = request.getStart();
    long end = request.getEnd();
    if (start < 0 || end < 0 || start > end) {
      return Future.failedFuture("INVALID_ARGUMENT: FetchCommits range " + start + ".." + end);
    }
    long last = Math.min(end, start + CommitServing.MAX_COMMITS_PER_FETCH - 1);
    if (!budget.admit(caller, (int) (last - start + 1), world.clock().nowMillis())) {
      return Future.failedFuture(new RpcStatusException(selfId, "FetchCommits", GrpcStatus.RESOURCE_EXHAUSTED,
          ServingBudget.refusal(budget.commitsPerS())));
    }
    try {
      FetchCommitsResponse response = CommitServing.readCertifiedRange(store, start, last);
      served.commits += response.getCommitsCount();
      served.bytes += response.getSerializedSize();
      return Future.succeededFuture(response);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  Future<List<byte[]>> fetchBlocks(FetchBlocksRequest request) {
    try {
      List<byte[]> blocks = store.blocks(SyncRpcHandler.blockKeys(request));
      served.bytes += SimSyncTransport.blocksSize(blocks);
      return Future.succeededFuture(blocks);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture("INVALID_ARGUMENT: " + e.getMessage());
    }
  }

  Future<PushCommitResponse> push(PeerId caller, PushCommitRequest request) {
    long index = request.getCommitIndex();
    if (index < 0) {
      return Future.failedFuture("INVALID_ARGUMENT: commit index out of range");
    }
    if (SyncRpcHandler.pushStartsSync(heights, status, caller, index)) {
      world.clock().schedule(0, loop::onStartSync);
    }
    return Future.succeededFuture(PushCommitResponse.newBuilder().setTimestampMs(world.clock().nowMillis()).build());
  }
}
