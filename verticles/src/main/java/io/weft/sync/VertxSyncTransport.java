package io.weft.sync;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.bus.Mailboxes;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.PeerChannel;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityRequest;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.PushCommitRequest;
import io.weft.proto.chain.BlockRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network half of {@link SyncTransport}: RPCs on the peer's {@link PeerChannel}, publishing on
 * the event bus, denials through the connection manager. The verticle adds the worker parts.
 * FetchBlocks answers are decoded and commits encoded for the bus on the worker pool, so the sync
 * loop never holds a batch's worth of protobuf or base64.
 */
abstract class VertxSyncTransport implements SyncTransport {

  private static final Logger LOG = LoggerFactory.getLogger(VertxSyncTransport.class);

  private final Vertx vertx;
  private final ActivePeers active;
  private final ConnectionManagerClient connections;
  private final SyncOptions options;
  private final String committedAddress;
  private final String rangeWantedAddress;

  /** @param rangeWantedAddress discovery's range-wanted mailbox */
  VertxSyncTransport(Vertx vertx, ActivePeers active, ConnectionManagerClient connections,
      SyncOptions options, String committedAddress, String rangeWantedAddress) {
    this.vertx = vertx;
    this.rangeWantedAddress = rangeWantedAddress;
    this.active = active;
    this.connections = connections;
    this.options = options;
    this.committedAddress = committedAddress;
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return active.ids();
  }

  private Future<PeerChannel> channel(PeerId peer) {
    return active.get(peer).map(p -> Future.succeededFuture((PeerChannel) p.channel()))
        .orElseGet(() -> Future.failedFuture("peer " + peer.shortId() + " is not connected"));
  }

  @Override
  public Future<GetCommitInfoResponse> genesisOf(PeerId peer) {
    return channel(peer).compose(c -> c.unary(P2pGrpcClient.GetCommitInfo,
        GetCommitInfoRequest.newBuilder().setByIndex(0).build(), options.getRpcTimeoutMs()));
  }

  @Override
  public Future<GetCommitAvailabilityResponse> availability(PeerId peer) {
    return channel(peer).compose(c -> c.unary(P2pGrpcClient.GetCommitAvailability,
        GetCommitAvailabilityRequest.newBuilder().setTimestampMs(System.currentTimeMillis()).build(),
        options.getRpcTimeoutMs()));
  }

  @Override
  public Future<FetchCommitsResponse> fetchCommits(PeerId peer, long start, long end) {
    return channel(peer).compose(c -> c.unary(P2pGrpcClient.FetchCommits,
        FetchCommitsRequest.newBuilder().setStart(start).setEnd(end).build(), options.getRpcTimeoutMs()));
  }

  @Override
  public Future<List<byte[]>> fetchBlocks(PeerId peer, List<BlockRef> refs) {
    if (refs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    FetchBlocksRequest.Builder request = FetchBlocksRequest.newBuilder();
    refs.forEach(ref -> request.addBlockRefs(ref.toByteString()));
    int limit = refs.size() + 10;
    io.vertx.core.Context caller = vertx.getOrCreateContext();
    return channel(peer).compose(c -> c.serverStream(RawBlocksResponse.FETCH_BLOCKS, request.build(), options.getRpcTimeoutMs()))
        .compose(stream -> {
          Promise<List<byte[]>> collected = Promise.promise();
          List<byte[]> messages = new ArrayList<>();
          int[] blocks = {0};
          stream.exceptionHandler(e -> caller.runOnContext(v -> collected.tryFail(e)));
          stream.handler(message -> {
            if (collected.future().isComplete()) {
              return;
            }
            try {
              blocks[0] += RawBlocksResponse.count(message);
            } catch (IOException e) {
              caller.runOnContext(v -> collected.tryFail("peer " + peer.shortId() + " sent a malformed FetchBlocks answer"));
              return;
            }
            if (blocks[0] > limit) {
              caller.runOnContext(v -> collected.tryFail("peer " + peer.shortId() + " streamed more blocks than asked"));
              return;
            }
            messages.add(message);
          });
          stream.endHandler(v -> caller.runOnContext(x -> collected.tryComplete(null)));
          stream.resume();
          // decoded on the worker pool: a batch's blocks are hundreds of KB
          return collected.future().compose(done -> verify(() -> {
            List<byte[]> out = new ArrayList<>(blocks[0]);
            for (byte[] message : messages) {
              RawBlocksResponse.blocks(message, out);
            }
            return out;
          }));
        });
  }

  @Override
  public Future<Void> pushCommit(PeerId peer, long index) {
    return channel(peer).compose(c -> c.unary(P2pGrpcClient.PushCommit,
        PushCommitRequest.newBuilder().setCommitIndex(index).build(), options.getRpcTimeoutMs())).mapEmpty();
  }

  @Override
  public void publish(SubDagMessage subDag) {
    publishAll(List.of(subDag));
  }

  /**
   * Encodes and publishes on the worker pool, not the loop (a batch's blocks in base64 are hundreds
   * of KB): one ordered queue of the caller's context, so commits leave in the order they were applied.
   */
  @Override
  public void publishAll(List<SubDagMessage> subDags) {
    vertx.executeBlocking(() -> {
      for (SubDagMessage subDag : subDags) {
        vertx.eventBus().publish(committedAddress, subDag.toJson());
      }
      return null;
    }, true).onFailure(e -> LOG.warn("publishing commits {}..{} failed: {}", subDags.get(0).index(),
        subDags.get(subDags.size() - 1).index(), e.toString()));
  }

  @Override
  public void wantRange(long index, Set<PeerId> failing) {
    JsonArray ids = new JsonArray();
    failing.forEach(peer -> ids.add(peer.toHex()));
    Mailboxes.send(vertx, rangeWantedAddress, new JsonObject().put("index", index).put("failing", ids),
        new DeliveryOptions());
  }

  @Override
  public void deny(PeerId peer, long untilMs, String reason) {
    connections.deny(peer, untilMs);
  }
}
