package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.network.PeerChannel;
import io.weft.proto.GetCommitInfoRequest;
import io.weft.proto.P2pGrpcClient;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on the local-consensus address: each is refused with a reply saying why, counted,
 * neither stored nor published; the node then applies the right commit and keeps serving.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalConsensusAttackTest {

  private static final Chain CHAIN = Chains.build(12, 1000, 91);

  private TestNodes nodes;
  private TestNodes.Node node;
  private final AtomicInteger published = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    nodes = new TestNodes(vertx);
    node = await(nodes.start(TestNodes.fastOptions(), NetworkKey.generate(), CHAIN.genesis()), 20);
    await(node.vertx().eventBus().consumer(SyncAddresses.committed(node.node().namespace()), m -> published.incrementAndGet())
        .completion(), 5);
    for (long i = 1; i <= 5; i++) {
      assertThat(await(submit(SubDagMessage.of(CHAIN.subDag(i)).toJson()), 10).getString("result")).isEqualTo("applied");
    }
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  private Future<JsonObject> submit(JsonObject message) {
    return node.vertx().eventBus().<JsonObject>request(SyncAddresses.consensus(node.node().namespace()), message,
        new DeliveryOptions().setSendTimeout(10_000)).map(m -> m.body());
  }

  /** Submits {@code bad}: refused with {@code code} and a message containing {@code why}, nothing moves. */
  private void refused(Vertx vertx, JsonObject bad, int code, String why, boolean counted) throws Exception {
    long rejectedBefore = node.node().syncStats().localCommitsRejected.get();
    Future<JsonObject> reply = Adversary.settle(submit(bad), 15);
    assertThat(reply.failed()).isTrue();
    assertThat(reply.cause()).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) reply.cause()).failureCode()).isEqualTo(code);
    assertThat(reply.cause().getMessage()).containsIgnoringCase(why);
    if (counted) {
      assertThat(node.node().syncStats().localCommitsRejected.get()).isEqualTo(rejectedBefore + 1);
    }
    assertThat(node.node().syncStatus().highestSynced()).isEqualTo(5);
    // the right commit 6 still applies, and is the only thing published since
    assertThat(await(submit(SubDagMessage.of(CHAIN.subDag(6)).toJson()), 10).getString("result")).isEqualTo("applied");
    assertThat(node.node().syncStatus().highestDigest()).isEqualTo(CHAIN.digest(6));
    Adversary.awaitTrue(vertx, 5_000, "6 commits published", () -> published.get() == 6);
    PeerChannel honest = await(Adversary.client(vertx, node.node()), 10);
    assertThat(await(honest.unary(P2pGrpcClient.GetCommitInfo, GetCommitInfoRequest.newBuilder().setLatest(true).build()), 10)
        .getInfo().getIndex()).isEqualTo(6);
  }

  private static Chain bad(java.util.function.UnaryOperator<ChainBuilder> defect) {
    return defect.apply(ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000).payloadBytes(64).seed(91))
        .build(12);
  }

  /** Verifies that a commit whose previous digest is not our last commit's is refused (409). */
  @Test
  void commitThatDoesNotChain(Vertx vertx) throws Exception {
    refused(vertx, SubDagMessage.of(bad(b -> b.wrongPreviousDigestAt(6)).subDag(6)).toJson(), 409, "previous digest", true);
  }

  /** Verifies that a commit skipping ahead (7 after 5) is refused (409). */
  @Test
  void commitThatSkipsAhead(Vertx vertx) throws Exception {
    refused(vertx, SubDagMessage.of(CHAIN.subDag(7)).toJson(), 409, "does not follow", true);
  }

  /** Verifies that a commit carrying a block with a forged signature is refused (409). */
  @Test
  void commitWithForgedBlockSignature(Vertx vertx) throws Exception {
    refused(vertx, SubDagMessage.of(bad(b -> b.forgeSignatureAt(6)).subDag(6)).toJson(), 409, "signature", true);
  }

  /** Verifies that commit bytes that do not parse are refused (409), and a message without a commit is 400. */
  @Test
  void malformedLocalCommit(Vertx vertx) throws Exception {
    JsonObject garbage = new JsonObject().put("index", 6)
        .put("commit", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 1, 2}))
        .put("blocks", new io.vertx.core.json.JsonArray(List.of()));
    Future<JsonObject> reply = Adversary.settle(submit(garbage), 15);
    assertThat(reply.failed()).isTrue();
    assertThat(((ReplyException) reply.cause()).failureCode()).isEqualTo(409);
    assertThat(node.node().syncStats().localCommitsRejected.get()).isEqualTo(1);
    refused(vertx, new JsonObject().put("index", 6), 400, "needs index and commit", false);
  }
}
