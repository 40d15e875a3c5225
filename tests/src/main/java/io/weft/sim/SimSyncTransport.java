package io.weft.sim;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityRequest;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.PushCommitRequest;
import io.weft.proto.chain.BlockRef;
import io.weft.store.ApplyBatch;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncOptions;
import io.weft.sync.SyncTransport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@link SyncTransport} over the simulated network: each RPC is a request/response of the
 * messages' serialized sizes to the peer's {@link SimSync} server, with the sync RPC timeout;
 * verification and store writes run as later events on the same thread (store writes in order,
 * into the node's {@link SimChainStore}); denials go to the node's {@link SimConnections}.
 */
final class SimSyncTransport implements SyncTransport {

  private static final int BLOCK_FRAMING_BYTES = 8;

  private final SimWorld world;
  private final int self;
  private final PeerId selfId;
  private final SimConnections connections;
  private final SimChainStore store;
  private final SyncOptions options;

  SimSyncTransport(SimWorld world, int self, SimConnections connections, SimChainStore store, SyncOptions options) {
    this.world = world;
    this.self = self;
    this.selfId = world.node(self).peerId();
    this.connections = connections;
    this.store = store;
    this.options = options;
  }

  @Override
  public void wantRange(long index, java.util.Set<PeerId> failing) {
    world.node(self).wantRange(index, failing);
  }

  private <Q extends com.google.protobuf.MessageLite, T> Future<T> call(PeerId peer, String kind, Q request,
      Function<SimSync, Future<T>> serve, java.util.function.ToIntFunction<T> size) {
    int target = connections.nodeOf(peer);
    if (target < 0) {
      return Future.failedFuture("peer " + peer.shortId() + " is not connected");
    }
    return world.network().call(self, target, kind, request.getSerializedSize(), () -> {
      SimSync server = world.node(target).sync();
      return server == null ? Future.failedFuture("UNAVAILABLE: no chain") : serve.apply(server);
    }, size, options.getRpcTimeoutMs());
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return connections.peers();
  }

  @Override
  public Future<GetCommitInfoResponse> genesisOf(PeerId peer) {
    GetCommitInfoRequest request = GetCommitInfoRequest.newBuilder().setByIndex(0).build();
    return call(peer, "commit-info", request, s -> s.commitInfo(request), GetCommitInfoResponse::getSerializedSize);
  }

  @Override
  public Future<GetCommitAvailabilityResponse> availability(PeerId peer) {
    GetCommitAvailabilityRequest request = GetCommitAvailabilityRequest.newBuilder()
        .setTimestampMs(world.clock().nowMillis()).build();
    return call(peer, "availability", request, s -> s.availability(), GetCommitAvailabilityResponse::getSerializedSize);
  }

  @Override
  public Future<FetchCommitsResponse> fetchCommits(PeerId peer, long start, long end) {
    FetchCommitsRequest request = FetchCommitsRequest.newBuilder().setStart(start).setEnd(end).build();
    return call(peer, "fetch-commits", request, s -> s.fetchCommits(selfId, request), FetchCommitsResponse::getSerializedSize);
  }

  @Override
  public Future<List<byte[]>> fetchBlocks(PeerId peer, List<BlockRef> refs) {
    if (refs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    FetchBlocksRequest.Builder builder = FetchBlocksRequest.newBuilder();
    refs.forEach(ref -> builder.addBlockRefs(ref.toByteString()));
    FetchBlocksRequest request = builder.build();
    int limit = refs.size() + 10;
    return call(peer, "fetch-blocks", request, s -> s.fetchBlocks(request), SimSyncTransport::blocksSize)
        .compose(blocks -> blocks.size() > limit
            ? Future.failedFuture("peer " + peer.shortId() + " streamed more blocks than asked")
            : Future.succeededFuture(blocks));
  }

  static int blocksSize(List<byte[]> blocks) {
    int size = 0;
    for (byte[] block : blocks) {
      size += block.length + BLOCK_FRAMING_BYTES;
    }
    return size;
  }

  @Override
  public Future<Void> pushCommit(PeerId peer, long index) {
    PushCommitRequest request = PushCommitRequest.newBuilder().setCommitIndex(index).build();
    return call(peer, "push", request, s -> s.push(selfId, request), r -> r.getSerializedSize()).mapEmpty();
  }

  @Override
  public <T> Future<T> verify(Callable<T> work) {
    return world.later(work);
  }

  @Override
  public Future<Void> apply(java.util.function.Supplier<ApplyBatch> batch) {
    return world.later(() -> {
      store.apply(batch.get());
      world.trace().record(world.clock().nowMillis(), "applied", self, 0, store.highestSynced());
      return null;
    });
  }

  @Override
  public void publish(SubDagMessage subDag) {
    // no executors in the simulation: applied commits are counted by the store's height
  }

  @Override
  public void deny(PeerId peer, long untilMs, String reason) {
    connections.deny(peer, untilMs);
  }
}
