package io.weft.testing;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.chain.Chain;
import io.weft.chain.VerifiedBlock;
import io.weft.network.RpcBinding;
import io.weft.network.RpcServer;
import io.weft.proto.CommitInfo;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.P2pGrpcService;
import io.weft.proto.PushCommitResponse;
import io.weft.proto.chain.BlockRef;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sync server that serves a {@link Chain} straight from memory, with none of the honest serving
 * rules: it answers whatever the chain holds (including a bad variant from {@code ChainBuilder}),
 * claims whatever height it is told to, and finds blocks by round and author only, so a commit
 * listing a wrong ref still gets "its" block. Commits must lie in one epoch.
 */
public final class LyingSyncServer implements RpcBinding {

  private final Chain chain;
  private final Map<Long, byte[]> blocks = new HashMap<>();
  private volatile long claimedHeight;
  public final AtomicLong fetchCommits = new AtomicLong();
  public final AtomicLong fetchBlocks = new AtomicLong();
  /** FetchCommits calls answered before the server stops answering them (-1: always answers). */
  private volatile long fetchesBeforeSilence = -1;
  /** Whether, once silent, it answers nothing at all (availability and commit infos too). */
  private volatile boolean totallySilent;
  /** Calls left unanswered, counted. */
  public final AtomicLong unanswered = new AtomicLong();

  /** Serves {@code chain}, claiming {@code chain.tip() - 1} (the last commit with votes). */
  public LyingSyncServer(Chain chain) {
    this.chain = chain;
    this.claimedHeight = chain.tip() - 1;
    for (long i = 1; i <= chain.tip(); i++) {
      for (VerifiedBlock block : chain.blocksOf(i)) {
        blocks.put(key(block.ref()), block.bytes());
      }
    }
  }

  public LyingSyncServer claimHeight(long height) {
    this.claimedHeight = height;
    return this;
  }

  /**
   * After {@code served} FetchCommits answers, leaves every later FetchCommits unanswered (the
   * connection stays up and keep-alive pings are still answered); with {@code everything}, also
   * every availability and commit-info call.
   */
  public LyingSyncServer silentAfter(long served, boolean everything) {
    this.fetchesBeforeSilence = served;
    this.totallySilent = everything;
    return this;
  }

  private boolean silent() {
    long limit = fetchesBeforeSilence;
    return limit >= 0 && fetchCommits.get() > limit;
  }

  /** A call that is never answered, counted. */
  private <T> Future<T> hang() {
    unanswered.incrementAndGet();
    return io.vertx.core.Promise.<T>promise().future();
  }

  private static long key(BlockRef ref) {
    return ref.getRound() * 100_000 + ref.getAuthor();
  }

  @Override
  public void bind(RpcServer server) {
    server.unary(P2pGrpcService.GetCommitInfo, (caller, request) -> {
      if (totallySilent && silent()) {
        return hang();
      }
      long index = switch (request.getQueryCase()) {
        case LATEST -> chain.tip() - 1;
        case BY_INDEX -> request.getByIndex();
        default -> -1;
      };
      if (index < 0 || index > chain.tip()) {
        return Future.succeededFuture(GetCommitInfoResponse.getDefaultInstance());
      }
      return Future.succeededFuture(GetCommitInfoResponse.newBuilder().setInfo(CommitInfo.newBuilder()
          .setIndex(index).setDigest(ByteString.copyFrom(chain.digest(index).toBytes()))).build());
    });
    server.unary(P2pGrpcService.GetCommitAvailability, (caller, request) -> totallySilent && silent() ? hang()
        : Future.succeededFuture(GetCommitAvailabilityResponse.newBuilder().setHighestSyncedCommit(claimedHeight)
            .setLowestAvailableCommit(0).build()));
    server.unary(P2pGrpcService.PushCommit, (caller, request) -> Future.succeededFuture(
        PushCommitResponse.newBuilder().setTimestampMs(System.currentTimeMillis()).build()));
    server.unary(P2pGrpcService.FetchCommits, (caller, request) -> {
      fetchCommits.incrementAndGet();
      if (silent()) {
        return hang();
      }
      long start = request.getStart();
      long end = Math.min(Math.min(request.getEnd(), start + 99), chain.tip() - 1);
      if (start < 1 || start > request.getEnd()) {
        return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "bad range"));
      }
      FetchCommitsResponse.Builder response = FetchCommitsResponse.newBuilder();
      if (start > end) {
        return Future.succeededFuture(response.build());
      }
      for (long i = start; i <= end; i++) {
        response.addCommits(ByteString.copyFrom(chain.commitBytes(i)));
      }
      chain.certifiersOf(end).forEach(b -> response.addCertifierBlocks(ByteString.copyFrom(b.bytes())));
      return Future.succeededFuture(response.build());
    });
    server.serverStream(P2pGrpcService.FetchBlocks, (caller, request, call) -> {
      fetchBlocks.incrementAndGet();
      FetchBlocksResponse.Builder response = FetchBlocksResponse.newBuilder();
      for (ByteString bytes : request.getBlockRefsList()) {
        try {
          byte[] block = blocks.get(key(BlockRef.parseFrom(bytes)));
          if (block != null) {
            response.addBlocks(ByteString.copyFrom(block));
          }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          RpcServer.fail(call, new StatusException(GrpcStatus.INVALID_ARGUMENT, "bad ref"));
          return;
        }
      }
      call.response().end(response.build());
    });
  }
}
