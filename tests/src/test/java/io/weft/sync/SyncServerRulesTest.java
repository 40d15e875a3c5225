package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.chain.Commits;
import io.weft.crypto.NetworkKey;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.network.RpcStatusException;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.chain.BlockRef;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the serving rules and the refusals of the sync RPCs, seen from a real client. */
@ExtendWith(VertxExtension.class)
class SyncServerRulesTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /** A bare client (connection manager only) connected to {@code server}; its channel. */
  private static Future<PeerChannel> client(Vertx vertx, TestNodes.Node server) {
    NodeIdentity identity = NodeIdentity.of(NetworkKey.generate());
    NetworkVerticle network = new NetworkVerticle(identity, TestNodes.fastOptions().getNetwork(), Set.of(), List.of());
    return vertx.deployVerticle(network)
        .compose(id -> new ConnectionManagerClient(vertx, identity.namespace(), new NetworkOptions())
            .connect(server.node().address(), server.node().peerId()))
        .map(peer -> (PeerChannel) ActivePeers.in(vertx, identity.namespace()).get(peer).orElseThrow().channel());
  }

  private static GrpcStatus statusOf(Throwable e) {
    return e instanceof RpcStatusException s ? s.status() : null;
  }

  /**
   * Verifies that FetchCommits caps a range at 100, cuts it at the epoch's end, drops the
   * uncertified tip, returns the certifier blocks, and refuses an inverted range; that FetchBlocks
   * refuses the genesis round and too many refs; and that the server keeps serving afterwards.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void servingRulesAndRefusals(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    Chain chain = Chains.build(260, 150, 41);
    Chains.importInto(dir, chain, 260);
    nodes.start(TestNodes.fastOptions().setDataDir(dir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(server -> client(vertx, server))
        .compose(channel -> {
          Future<FetchCommitsResponse> capped = channel.unary(P2pGrpcClient.FetchCommits,
              FetchCommitsRequest.newBuilder().setStart(1).setEnd(1_000_000).build());
          Future<FetchCommitsResponse> epochCut = channel.unary(P2pGrpcClient.FetchCommits,
              FetchCommitsRequest.newBuilder().setStart(120).setEnd(200).build());
          Future<FetchCommitsResponse> tip = channel.unary(P2pGrpcClient.FetchCommits,
              FetchCommitsRequest.newBuilder().setStart(250).setEnd(260).build());
          Future<FetchCommitsResponse> inverted = channel.unary(P2pGrpcClient.FetchCommits,
              FetchCommitsRequest.newBuilder().setStart(10).setEnd(5).build());
          FetchBlocksRequest.Builder tooMany = FetchBlocksRequest.newBuilder();
          for (int i = 0; i < SyncRpcHandler.MAX_BLOCK_REFS + 1; i++) {
            tooMany.addBlockRefs(chain.blocksOf(1).get(0).ref().toByteString());
          }
          Future<ReadStream<FetchBlocksResponse>> many = channel.serverStream(P2pGrpcClient.FetchBlocks, tooMany.build(), 5_000);
          Future<ReadStream<FetchBlocksResponse>> genesisRound = channel.serverStream(P2pGrpcClient.FetchBlocks,
              FetchBlocksRequest.newBuilder().addBlockRefs(BlockRef.newBuilder().setRound(0).setAuthor(0)
                  .setDigest(ByteString.copyFrom(new byte[32])).build().toByteString()).build(), 5_000);
          return Future.join(List.of(capped, epochCut, tip, inverted, many, genesisRound)).transform(ar -> {
            test.verify(() -> {
              assertThat(capped.result().getCommitsCount()).isEqualTo(100);
              assertThat(capped.result().getCertifierBlocksCount()).isGreaterThanOrEqualTo(3);
              // commits 120..150 are epoch 0 (150 commits an epoch); the response stops at 150
              assertThat(epochCut.result().getCommitsCount()).isEqualTo(31);
              assertThat(Commits.parse(epochCut.result().getCommits(30).toByteArray()).index()).isEqualTo(150);
              // 260 is the tip, uncertified: only 250..259 are served
              assertThat(tip.result().getCommitsCount()).isEqualTo(10);
              assertThat(statusOf(inverted.cause())).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
              assertThat(statusOf(many.cause())).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
              assertThat(statusOf(genesisRound.cause())).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            });
            // and the server still serves
            return channel.unary(P2pGrpcClient.GetCommitInfo, GetCommitInfoRequest.newBuilder().setLatest(true).build());
          });
        })
        .onComplete(test.succeeding(info -> test.verify(() -> {
          assertThat(info.getInfo().getIndex()).isEqualTo(260);
          test.completeNow();
        })));
  }

  /**
   * Verifies that FetchCommits past the serving budget (200 commits/s) is refused at once with
   * RESOURCE_EXHAUSTED while the budget's first batches are served, and that the node keeps
   * answering other calls.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void fetchesPastTheServingBudgetAreRefusedAsBusy(Vertx vertx, VertxTestContext test, @TempDir Path dir)
      throws Exception {
    Chain chain = Chains.build(260, 150, 41);
    Chains.importInto(dir, chain, 260);
    var options = TestNodes.fastOptions().setDataDir(dir.toString());
    options.getSync().setServingCommitsPerS(200).setServingCallerShare(1);
    nodes.start(options, NetworkKey.generate(), chain.genesis())
        .compose(server -> client(vertx, server))
        .compose(channel -> {
          List<Future<FetchCommitsResponse>> fetches = new java.util.ArrayList<>();
          for (int i = 0; i < 6; i++) {
            fetches.add(channel.unary(P2pGrpcClient.FetchCommits,
                FetchCommitsRequest.newBuilder().setStart(1).setEnd(100).build()));
          }
          return Future.join(fetches).transform(ar -> {
            test.verify(() -> {
              long served = fetches.stream().filter(Future::succeeded).count();
              long busy = fetches.stream().filter(f -> f.failed() && statusOf(f.cause()) == GrpcStatus.RESOURCE_EXHAUSTED)
                  .count();
              // 200 commits of burst: two batches, then one more per ~0.5 s of tokens earned meanwhile
              assertThat(served).isBetween(2L, 4L);
              assertThat(busy).isEqualTo(6 - served);
            });
            return channel.unary(P2pGrpcClient.GetCommitInfo, GetCommitInfoRequest.newBuilder().setLatest(true).build());
          });
        })
        .onComplete(test.succeeding(info -> test.verify(() -> {
          assertThat(info.getInfo().getIndex()).isEqualTo(260);
          test.completeNow();
        })));
  }
}
