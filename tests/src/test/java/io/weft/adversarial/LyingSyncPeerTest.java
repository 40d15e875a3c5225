package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NodeIdentity;
import io.weft.node.NodeOptions;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.PushCommitRequest;
import io.weft.sync.SyncStats;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.LyingSyncServer;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A victim syncs from an honest node and a liar at once. The liar ({@link LyingSyncServer}) serves
 * a chain on the same genesis with one kind of defect in every commit, or lies about its height.
 * The victim must reject the liar's data with the right reason (counted), never store it, and end
 * with the honest chain; it keeps serving honest clients.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class LyingSyncPeerTest {

  private static final int COMMITS = 120;
  private static final long SEED = 71;
  private static final Chain HONEST = Chains.build(COMMITS + 1, 1000, SEED);

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /** The honest chain's variant with {@code defect} applied to every commit it serves. */
  private static Chain everyCommit(BiConsumer<ChainBuilder, Long> defect) {
    return variant(b -> {
      for (long i = 1; i <= COMMITS + 1; i++) {
        defect.accept(b, i);
      }
      return b;
    });
  }

  private static Chain variant(UnaryOperator<ChainBuilder> defect) {
    ChainBuilder builder = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000)
        .payloadBytes(64).seed(SEED);
    Chain chain = defect.apply(builder).build(COMMITS + 1);
    assertThat(chain.genesisDigest()).isEqualTo(HONEST.genesisDigest());
    return chain;
  }

  private record Setup(TestNodes.Node honest, Adversary.Bare liar, LyingSyncServer lies, TestNodes.Node victim) {
  }

  private Setup start(Vertx vertx, Path dir, LyingSyncServer lies) throws Exception {
    Chains.importInto(dir.resolve("honest"), HONEST, COMMITS + 1);
    TestNodes.Node honest = await(nodes.start(TestNodes.fastOptions().setDataDir(dir.resolve("honest").toString()),
        NetworkKey.generate(), HONEST.genesis()), 20);
    Adversary.Bare liar = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), lies), 10);
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(
        new DiscoveryOptions.Seed(liar.address(), liar.peerId()),
        new DiscoveryOptions.Seed(honest.node().address(), honest.node().peerId())));
    options.getSync().setBatchSize(10).setMaxBatchesPerPeer(1).setMaxOffences(3);
    TestNodes.Node victim = await(nodes.start(options, NetworkKey.generate(), HONEST.genesis()), 20);
    return new Setup(honest, liar, lies, victim);
  }

  private void syncsTheHonestChainDespite(Vertx vertx, Path dir, Chain lie, Reason reason) throws Exception {
    Setup s = start(vertx, dir, new LyingSyncServer(lie));
    SyncStats stats = s.victim().node().syncStats();
    awaitTrue(vertx, 30_000, "victim synced the honest chain and rejected the liar's " + reason,
        () -> s.victim().node().syncStatus().highestSynced() == COMMITS && stats.verificationFailures(reason) >= 1);
    assertThat(s.victim().node().syncStatus().highestDigest()).isEqualTo(HONEST.digest(COMMITS));
    assertThat(s.lies().fetchCommits.get()).as("the liar was asked").isPositive();
    assertThat(stats.offences.get()).isGreaterThanOrEqualTo(1);
    assertThat(stats.verificationFailures()).as("only %s failures", reason).isEqualTo(stats.verificationFailures(reason));
    // nothing of the lie was stored: every commit the victim published is the honest one
    TestNodes.Node fresh = s.victim();
    for (long i = 1; i <= COMMITS; i += 17) {
      long index = i;
      io.vertx.core.json.JsonObject json = await(fresh.vertx().eventBus().<io.vertx.core.json.JsonObject>request(
          io.weft.sync.SyncAddresses.commitByIndex(fresh.node().namespace()),
          new io.vertx.core.json.JsonObject().put("index", index)).map(m -> m.body()), 10);
      byte[] commit = java.util.Base64.getDecoder().decode(json.getString("commit"));
      assertThat(commit).as("stored commit %d", index).isEqualTo(HONEST.commitBytes(index));
    }
    assertThat(await(Adversary.honestQuery(vertx, s.victim().node()), 10).hasOwnInfo()).isTrue();
  }

  /** Verifies that a served chain whose commits carry a broken previous digest is rejected (WRONG_PREVIOUS_DIGEST). */
  @Test
  void brokenPreviousDigest(Vertx vertx, @TempDir Path dir) throws Exception {
    syncsTheHonestChainDespite(vertx, dir, everyCommit(ChainBuilder::wrongPreviousDigestAt), Reason.WRONG_PREVIOUS_DIGEST);
  }

  /** Verifies that a served chain with a forged block signature in every commit is rejected (BAD_SIGNATURE). */
  @Test
  void forgedBlockSignature(Vertx vertx, @TempDir Path dir) throws Exception {
    syncsTheHonestChainDespite(vertx, dir, everyCommit(ChainBuilder::forgeSignatureAt), Reason.BAD_SIGNATURE);
  }

  /** Verifies that a served chain whose commits lack a quorum of votes is rejected (NO_QUORUM). */
  @Test
  void noQuorum(Vertx vertx, @TempDir Path dir) throws Exception {
    syncsTheHonestChainDespite(vertx, dir, everyCommit(ChainBuilder::noQuorumAt), Reason.NO_QUORUM);
  }

  /** Verifies that blocks that do not match the refs their commit lists are rejected (BLOCK_REF_MISMATCH). */
  @Test
  void blockRefMismatch(Vertx vertx, @TempDir Path dir) throws Exception {
    syncsTheHonestChainDespite(vertx, dir, everyCommit(ChainBuilder::blockRefMismatchAt), Reason.BLOCK_REF_MISMATCH);
  }

  /**
   * Verifies that commits stating an epoch whose committee nobody announced are rejected
   * (WRONG_EPOCH) and do not stop the honest sync.
   */
  @Test
  void wrongEpoch(Vertx vertx, @TempDir Path dir) throws Exception {
    Setup s = start(vertx, dir, new LyingSyncServer(everyCommit(ChainBuilder::wrongEpochAt)));
    awaitTrue(vertx, 20_000, "victim synced the honest chain despite the liar's wrong-epoch commits",
        () -> s.victim().node().syncStatus().highestSynced() == COMMITS);
    assertThat(s.victim().node().syncStats().verificationFailures(Reason.WRONG_EPOCH)).isPositive();
  }

  /**
   * Verifies that a tracked peer pushing a huge but positive height (2^62) it cannot serve causes
   * no crash and no offence: the victim still completes the honest sync, and keeps serving.
   */
  @Test
  void pushCommitHugeHeightFromATrackedPeer(Vertx vertx, @TempDir Path dir) throws Exception {
    // the "liar" serves the honest chain, but will claim far more than it has
    Setup s = start(vertx, dir, new LyingSyncServer(HONEST));
    awaitTrue(vertx, 10_000, "the victim tracks the liar", () -> s.victim().node().peerHeights().get(s.liar().peerId()).isPresent());
    long huge = 1L << 62;
    await(s.liar().dial(s.victim().node()).compose(channel -> channel.unary(P2pGrpcClient.PushCommit,
        PushCommitRequest.newBuilder().setCommitIndex(huge).build())), 10);
    assertThat(s.victim().node().peerHeights().get(s.liar().peerId()).orElseThrow().height()).isEqualTo(huge);
    awaitTrue(vertx, 30_000, "victim synced the honest chain", () -> s.victim().node().syncStatus().highestSynced() == COMMITS);
    assertThat(s.victim().node().syncStatus().highestDigest()).isEqualTo(HONEST.digest(COMMITS));
    // it keeps asking for what nobody can serve without treating it as an offence, and without growing
    awaitTrue(vertx, 10_000, "the victim tried the liar beyond the honest tip",
        () -> s.victim().node().syncStats().fetchFailures.get() >= 1);
    assertThat(s.victim().node().syncStats().offences.get()).isZero();
    assertThat(s.victim().node().syncStatus().highestSynced()).isEqualTo(COMMITS);
    assertThat(await(Adversary.honestQuery(vertx, s.victim().node()), 10).hasOwnInfo()).isTrue();
  }
}
