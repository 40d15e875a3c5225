package io.weft.sync;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import io.weft.bus.Mailboxes;
import io.weft.chain.BlockRefs;
import io.weft.chain.Digest;
import io.weft.chain.Digests;
import io.weft.crypto.PeerId;
import io.weft.network.RpcBinding;
import io.weft.network.RpcServer;
import io.weft.proto.CommitInfo;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityRequest;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.P2pGrpcService;
import io.weft.proto.PushCommitRequest;
import io.weft.proto.PushCommitResponse;
import io.weft.proto.chain.BlockRef;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state-sync server: GetCommitAvailability, PushCommit, GetCommitInfo, FetchCommits and the
 * FetchBlocks stream. Runs on the network loop; every store read goes to the worker pool through
 * {@link CommitServing}. Bad requests get INVALID_ARGUMENT with a reason; the server keeps serving.
 * FetchCommits past the {@link ServingBudget} gets RESOURCE_EXHAUSTED at once (the client asks
 * another peer); FetchBlocks, which follows an admitted FetchCommits, is not charged.
 */
public final class SyncRpcHandler implements RpcBinding {

  private static final Logger LOG = LoggerFactory.getLogger(SyncRpcHandler.class);
  /** Most block refs one FetchBlocks may ask for. */
  public static final int MAX_BLOCK_REFS = 1000;
  /** Largest FetchBlocks response message. */
  public static final int MAX_BLOCKS_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Author indexes at or above this cannot exist in any committee we accept. */
  static final int MAX_AUTHORS = 10_000;

  private final io.vertx.core.Vertx vertx;
  private final String mailbox;
  private final SyncStatus status;
  private final PeerHeights heights;
  private final CommitServing serving;
  private final ServingBudget budget;
  private final Clock clock;

  public SyncRpcHandler(io.vertx.core.Vertx vertx, String namespace, SyncStatus status,
      PeerHeights heights, CommitServing serving, ServingBudget budget, Clock clock) {
    this.vertx = vertx;
    this.mailbox = SyncAddresses.mailbox(namespace);
    this.status = status;
    this.heights = heights;
    this.serving = serving;
    this.budget = budget;
    this.clock = clock;
  }

  @Override
  public void bind(RpcServer server) {
    server.unary(P2pGrpcService.GetCommitAvailability, this::availability)
        .unary(P2pGrpcService.PushCommit, this::pushCommit)
        .unary(P2pGrpcService.GetCommitInfo, this::commitInfo)
        .unary(P2pGrpcService.FetchCommits, this::fetchCommits)
        .serverStream(P2pGrpcService.FetchBlocks, this::fetchBlocks);
  }

  Future<GetCommitAvailabilityResponse> availability(PeerId caller, GetCommitAvailabilityRequest request) {
    SyncStatus.Snapshot now = status.get();
    if (now.genesis() == null) {
      return unavailable();
    }
    return Future.succeededFuture(GetCommitAvailabilityResponse.newBuilder()
        .setHighestSyncedCommit(now.highestSynced()).setLowestAvailableCommit(now.lowestAvailable()).build());
  }

  Future<PushCommitResponse> pushCommit(PeerId caller, PushCommitRequest request) {
    long index = request.getCommitIndex();
    if (index < 0) {
      return invalid("commit index " + Long.toUnsignedString(index) + " is out of range");
    }
    PushCommitResponse ok = PushCommitResponse.newBuilder().setTimestampMs(clock.nowMillis()).build();
    if (pushStartsSync(heights, status, caller, index)) {
      Mailboxes.send(vertx, mailbox, new JsonObject().put("op", "start-sync"), new DeliveryOptions());
    }
    return Future.succeededFuture(ok);
  }

  /**
   * PushCommit's rule: raise the caller's known height (only for a peer we track); true when the
   * pushed commit is above ours, so sync should schedule now rather than at its next tick.
   */
  public static boolean pushStartsSync(PeerHeights heights, SyncStatus status, PeerId caller, long index) {
    if (!heights.raiseHeight(caller, index)) {
      LOG.debug("PushCommit from untracked peer {} ignored", caller.shortId());
      return false;
    }
    return index > status.get().highestSynced();
  }

  Future<GetCommitInfoResponse> commitInfo(PeerId caller, GetCommitInfoRequest request) {
    SyncStatus.Snapshot now = status.get();
    if (now.genesis() == null) {
      return unavailable();
    }
    Future<Optional<CommitInfo>> info = switch (request.getQueryCase()) {
      case LATEST -> Future.succeededFuture(Optional.of(info(now.highestSynced(), now.highestDigest())));
      case BY_INDEX -> request.getByIndex() < 0 ? Future.succeededFuture(Optional.empty())
          : serving.commit(request.getByIndex()).map(bytes -> bytes.map(b -> info(request.getByIndex(), Digests.blake2b256(b))));
      case BY_DIGEST -> request.getByDigest().size() != 32 ? invalid("a digest is 32 bytes")
          : serving.indexOf(request.getByDigest().toByteArray())
              .map(index -> index.map(i -> info(i, Digest.of(request.getByDigest().toByteArray()))));
      case QUERY_NOT_SET -> invalid("GetCommitInfo needs latest, by_index or by_digest");
    };
    return info.map(found -> found.map(i -> GetCommitInfoResponse.newBuilder().setInfo(i).build())
        .orElse(GetCommitInfoResponse.getDefaultInstance()));
  }

  Future<FetchCommitsResponse> fetchCommits(PeerId caller, FetchCommitsRequest request) {
    long start = request.getStart();
    long end = request.getEnd();
    if (start < 0 || end < 0 || start > end) {
      return invalid("FetchCommits range " + Long.toUnsignedString(start) + ".." + Long.toUnsignedString(end) + " is empty or out of range");
    }
    if (status.get().genesis() == null) {
      return unavailable();
    }
    long last = Math.min(end, start + CommitServing.MAX_COMMITS_PER_FETCH - 1);
    if (!budget.admit(caller, (int) (last - start + 1), clock.nowMillis())) {
      LOG.debug("FetchCommits {}..{} from {} refused: serving budget spent", start, last, caller.shortId());
      return Future.failedFuture(new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
          ServingBudget.refusal(budget.commitsPerS())));
    }
    return serving.certifiedRange(start, last);
  }

  void fetchBlocks(PeerId caller, FetchBlocksRequest request, GrpcServerRequest<FetchBlocksRequest, FetchBlocksResponse> call) {
    List<byte[]> keys;
    try {
      keys = blockKeys(request);
    } catch (IllegalArgumentException e) {
      RpcServer.fail(call, new StatusException(GrpcStatus.INVALID_ARGUMENT, e.getMessage()));
      return;
    }
    serving.blocks(keys).onComplete(ar -> {
      if (ar.failed()) {
        RpcServer.fail(call, ar.cause());
        return;
      }
      FetchBlocksResponse.Builder chunk = FetchBlocksResponse.newBuilder();
      int size = 0;
      for (byte[] block : ar.result()) {
        if (size > 0 && size + block.length > MAX_BLOCKS_RESPONSE_BYTES) {
          call.response().write(chunk.build());
          chunk = FetchBlocksResponse.newBuilder();
          size = 0;
        }
        chunk.addBlocks(ByteString.copyFrom(block));
        size += block.length + 8;
      }
      call.response().end(chunk.build());
    });
  }

  /**
   * The store keys of a FetchBlocks request's refs, checked: at most {@link #MAX_BLOCK_REFS}, each
   * well-formed (round 1.., author below {@link #MAX_AUTHORS}, 32-byte digest). The simulator's
   * servers use it too.
   *
   * @throws IllegalArgumentException saying what is wrong (the server answers INVALID_ARGUMENT)
   */
  public static List<byte[]> blockKeys(FetchBlocksRequest request) {
    if (request.getBlockRefsCount() > MAX_BLOCK_REFS) {
      throw new IllegalArgumentException("FetchBlocks asks for " + request.getBlockRefsCount()
          + " blocks; at most " + MAX_BLOCK_REFS);
    }
    List<byte[]> keys = new ArrayList<>(request.getBlockRefsCount());
    for (ByteString bytes : request.getBlockRefsList()) {
      BlockRef ref;
      try {
        ref = BlockRef.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("malformed block ref");
      }
      // round is a uint64 and author a uint32 on the wire: compare them unsigned
      String bad = ref.getRound() == 0 ? "genesis round has no blocks"
          : ref.getRound() < 0 ? "round " + Long.toUnsignedString(ref.getRound()) + " is out of range"
          : Integer.compareUnsigned(ref.getAuthor(), MAX_AUTHORS) >= 0
              ? "author " + Integer.toUnsignedString(ref.getAuthor()) + " is out of range"
          : ref.getDigest().size() != 32 ? "a block digest is 32 bytes" : null;
      if (bad != null) {
        throw new IllegalArgumentException(bad);
      }
      keys.add(BlockRefs.key(ref));
    }
    return keys;
  }

  private static CommitInfo info(long index, Digest digest) {
    return CommitInfo.newBuilder().setIndex(index).setDigest(ByteString.copyFrom(digest.toBytes())).build();
  }

  private static <T> Future<T> invalid(String why) {
    return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, why));
  }

  private static <T> Future<T> unavailable() {
    return Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, "this node holds no chain yet"));
  }
}
