package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.chain.Commits;
import io.weft.crypto.NetworkKey;
import io.weft.network.PeerChannel;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.PushCommitRequest;
import io.weft.proto.PushCommitResponse;
import io.weft.proto.chain.BlockRef;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad sync requests from a connected peer: each is answered INVALID_ARGUMENT (or, where the
 * request is legal but pointless, a correct empty answer), nothing changes on the server, and an
 * honest client then still gets correct commits.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncRequestAttackTest {

  private static final int COMMITS = 150;
  private static final Chain CHAIN = Chains.build(COMMITS, 1000, 61);

  private TestNodes nodes;
  private TestNodes.Node server;
  private PeerChannel attacker;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
    nodes = new TestNodes(vertx);
    Chains.importInto(dir, CHAIN, COMMITS);
    server = await(nodes.start(TestNodes.fastOptions().setDataDir(dir.toString()), NetworkKey.generate(), CHAIN.genesis()), 20);
    attacker = await(Adversary.client(vertx, server.node()), 10);
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  private <T> GrpcStatus failure(Future<T> call) {
    Future<T> done = Adversary.settle(call, 15);
    assertThat(done.failed()).as("call refused").isTrue();
    return statusOf(done.cause());
  }

  private GrpcStatus fetchCommits(long start, long end) {
    return failure(attacker.unary(P2pGrpcClient.FetchCommits,
        FetchCommitsRequest.newBuilder().setStart(start).setEnd(end).build()));
  }

  private GrpcStatus fetchBlocks(FetchBlocksRequest request) {
    Future<ReadStream<FetchBlocksResponse>> call = attacker.serverStream(P2pGrpcClient.FetchBlocks, request, 5_000);
    return failure(call);
  }

  private static FetchBlocksRequest refs(BlockRef... refs) {
    FetchBlocksRequest.Builder request = FetchBlocksRequest.newBuilder();
    for (BlockRef ref : refs) {
      request.addBlockRefs(ref.toByteString());
    }
    return request.build();
  }

  private static BlockRef ref(long round, int author, int digestBytes) {
    return BlockRef.newBuilder().setRound(round).setAuthor(author).setDigest(ByteString.copyFrom(new byte[digestBytes])).build();
  }

  /** After an attack: the server is where it was, and an honest client gets correct commits. */
  private void stillServesHonestPeers(Vertx vertx) throws Exception {
    assertThat(server.node().syncStatus().highestSynced()).isEqualTo(COMMITS);
    PeerChannel honest = await(Adversary.client(vertx, server.node()), 10);
    FetchCommitsResponse commits = await(honest.unary(P2pGrpcClient.FetchCommits,
        FetchCommitsRequest.newBuilder().setStart(1).setEnd(10).build()), 10);
    assertThat(commits.getCommitsCount()).isEqualTo(10);
    assertThat(Commits.digest(commits.getCommits(9).toByteArray())).isEqualTo(CHAIN.digest(10));
    GetCommitInfoResponse latest = await(honest.unary(P2pGrpcClient.GetCommitInfo,
        GetCommitInfoRequest.newBuilder().setLatest(true).build()), 10);
    assertThat(latest.getInfo().getIndex()).isEqualTo(COMMITS);
  }

  /** Verifies that FetchCommits with start > end is INVALID_ARGUMENT. */
  @Test
  void fetchCommitsStartAfterEnd(Vertx vertx) throws Exception {
    assertThat(fetchCommits(10, 5)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /** Verifies that FetchCommits with start or end beyond Long.MAX (uint64 ≥ 2^63) is INVALID_ARGUMENT. */
  @Test
  void fetchCommitsRangeBeyondSignedLong(Vertx vertx) throws Exception {
    assertThat(fetchCommits(Long.MIN_VALUE, -1L)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(fetchCommits(1, -1L)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /**
   * Verifies that a huge FetchCommits range (1..Long.MAX) is answered with at most 100 commits,
   * and one far beyond the tip with an empty answer, both without error.
   */
  @Test
  void fetchCommitsHugeRange(Vertx vertx) throws Exception {
    FetchCommitsResponse capped = await(attacker.unary(P2pGrpcClient.FetchCommits,
        FetchCommitsRequest.newBuilder().setStart(1).setEnd(Long.MAX_VALUE).build()), 10);
    assertThat(capped.getCommitsCount()).isEqualTo(100);
    FetchCommitsResponse beyond = await(attacker.unary(P2pGrpcClient.FetchCommits,
        FetchCommitsRequest.newBuilder().setStart(Long.MAX_VALUE - 5).setEnd(Long.MAX_VALUE).build()), 10);
    assertThat(beyond.getCommitsCount()).isZero();
    stillServesHonestPeers(vertx);
  }

  /** Verifies that FetchBlocks with 5,000 refs (limit 1,000) is INVALID_ARGUMENT. */
  @Test
  void fetchBlocksWithThousandsOfRefs(Vertx vertx) throws Exception {
    BlockRef real = CHAIN.blocksOf(1).get(0).ref();
    BlockRef[] many = new BlockRef[5_000];
    java.util.Arrays.fill(many, real);
    assertThat(fetchBlocks(refs(many))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /** Verifies that FetchBlocks for the genesis round (0) is INVALID_ARGUMENT. */
  @Test
  void fetchBlocksGenesisRound(Vertx vertx) throws Exception {
    assertThat(fetchBlocks(refs(ref(0, 0, 32)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /** Verifies that FetchBlocks with author 10,000 (no committee has one) is INVALID_ARGUMENT. */
  @Test
  void fetchBlocksAuthorOutOfRange(Vertx vertx) throws Exception {
    assertThat(fetchBlocks(refs(ref(1, 10_000, 32)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /**
   * Verifies that FetchBlocks with author 2^32-1 (uint32, negative as a Java int) or round ≥ 2^63
   * is INVALID_ARGUMENT like any other out-of-range author or round.
   */
  @Test
  void fetchBlocksUnsignedAuthorOrRoundOverflow(Vertx vertx) throws Exception {
    assertThat(fetchBlocks(refs(ref(1, -1, 32)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(fetchBlocks(refs(ref(Long.MIN_VALUE, 0, 32)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /** Verifies that block refs that do not parse, or carry a 5-byte digest, are INVALID_ARGUMENT. */
  @Test
  void fetchBlocksMalformedRefs(Vertx vertx) throws Exception {
    FetchBlocksRequest unparsable = FetchBlocksRequest.newBuilder()
        .addBlockRefs(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})).build();
    assertThat(fetchBlocks(unparsable)).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(fetchBlocks(refs(ref(1, 0, 5)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    stillServesHonestPeers(vertx);
  }

  /** Verifies that GetCommitInfo without a query, or with a 5-byte digest, is INVALID_ARGUMENT. */
  @Test
  void getCommitInfoMalformedQueries(Vertx vertx) throws Exception {
    assertThat(failure(attacker.unary(P2pGrpcClient.GetCommitInfo, GetCommitInfoRequest.getDefaultInstance())))
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(failure(attacker.unary(P2pGrpcClient.GetCommitInfo,
        GetCommitInfoRequest.newBuilder().setByDigest(ByteString.copyFrom(new byte[5])).build())))
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    GetCommitInfoResponse huge = await(attacker.unary(P2pGrpcClient.GetCommitInfo,
        GetCommitInfoRequest.newBuilder().setByIndex(Long.MIN_VALUE).build()), 10);
    assertThat(huge.hasInfo()).isFalse();
    stillServesHonestPeers(vertx);
  }

  /**
   * Verifies that PushCommit from a peer the server never probed (untracked) is answered OK and
   * ignored: no height is recorded for it and the server does not move.
   */
  @Test
  void pushCommitFromUnknownPeer(Vertx vertx) throws Exception {
    List<Future<PushCommitResponse>> pushes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pushes.add(attacker.unary(P2pGrpcClient.PushCommit, PushCommitRequest.newBuilder().setCommitIndex(1_000_000L + i).build()));
    }
    await(Future.all(pushes), 10);
    assertThat(server.node().peerHeights().size()).isZero();
    assertThat(server.node().syncStats().batchesFetched.get()).isZero();
    stillServesHonestPeers(vertx);
  }

  /** Verifies that PushCommit claiming height 2^63 (uint64 beyond Long.MAX) is INVALID_ARGUMENT. */
  @Test
  void pushCommitHeightTwoToThe63(Vertx vertx) throws Exception {
    assertThat(failure(attacker.unary(P2pGrpcClient.PushCommit,
        PushCommitRequest.newBuilder().setCommitIndex(Long.MIN_VALUE).build()))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(failure(attacker.unary(P2pGrpcClient.PushCommit,
        PushCommitRequest.newBuilder().setCommitIndex(-1L).build()))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(server.node().peerHeights().size()).isZero();
    stillServesHonestPeers(vertx);
  }
}
