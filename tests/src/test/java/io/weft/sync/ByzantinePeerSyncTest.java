package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.ChainVerificationException;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that sync finishes from honest peers while a peer serving forged data is penalised and denied. */
@ExtendWith(VertxExtension.class)
class ByzantinePeerSyncTest {

  private static final int COMMITS = 600;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that with three honest peers and one serving blocks with forged signatures, a fresh
   * node syncs the honest chain, counts the liar's offences, denies it and disconnects it.
   */
  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void liarIsDeniedAndHonestPeersFinishTheSync(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    Chain honest = Chains.build(COMMITS + 1, 250, 11);
    ChainBuilder forging = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(250).payloadBytes(64).seed(11);
    for (long i = 1; i <= COMMITS; i++) {
      forging.forgeSignatureAt(i);
    }
    Chain forged = forging.build(COMMITS + 1);
    assertThat(forged.genesisDigest()).isEqualTo(honest.genesisDigest());
    // GIVEN three honest servers and a liar (all on the same genesis), which know each other
    Path seedData = dir.resolve("server-0");
    Chains.importInto(seedData, honest, COMMITS + 1);
    nodes.start(TestNodes.fastOptions().setDataDir(seedData.toString()), NetworkKey.generate(), honest.genesis()).compose(seed -> {
      List<Future<Node>> others = new ArrayList<>();
      for (int i = 1; i < 4; i++) {
        Path data = dir.resolve("server-" + i);
        try {
          Chains.importInto(data, i == 3 ? forged : honest, COMMITS + 1);
        } catch (Exception e) {
          return Future.failedFuture(e);
        }
        NodeOptions serverOptions = TestNodes.fastOptions().setDataDir(data.toString());
        serverOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId())));
        others.add(nodes.start(serverOptions, NetworkKey.generate(), honest.genesis()));
      }
      return Future.all(others).map(all -> all.<Node>resultAt(2));
    }).compose(liar -> TestNodes.eventually(vertx, 10_000, "the liar knows the honest servers",
        () -> liar.node().discoveryState().size() >= 3).map(v -> liar)).compose(liar -> {
      // WHEN a fresh node joins through the liar only
      NodeOptions options = TestNodes.fastOptions();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(liar.node().address(), liar.node().peerId())));
      // (one batch per peer at a time keeps the ranges spread over the peers; one offence denies:
      // after a first forged batch reputation rarely picks the liar again, so a sync can finish
      // before a liar reaches a higher offence count)
      options.getSync().setMaxBatchesPerPeer(1).setMaxOffences(1);
      return nodes.start(options, NetworkKey.generate(), honest.genesis()).compose(fresh ->
          // THEN it syncs the honest chain from the others, and the liar is denied
          TestNodes.eventually(vertx, 60_000, "fresh node synced " + COMMITS,
                  () -> fresh.node().syncStatus().highestSynced() == COMMITS)
              .map(v -> {
                test.verify(() -> {
                  SyncStats stats = fresh.node().syncStats();
                  assertThat(stats.verificationFailures(ChainVerificationException.Reason.BAD_SIGNATURE))
                      .as("forged blocks rejected").isGreaterThanOrEqualTo(1);
                  assertThat(stats.denials.get()).as("liar denied").isEqualTo(1);
                  assertThat(fresh.node().activePeers().contains(liar.node().peerId())).as("liar disconnected").isFalse();
                  assertThat(fresh.node().syncStatus().highestDigest()).isEqualTo(honest.digest(COMMITS));
                });
                return null;
              }));
    }).onComplete(test.succeedingThenComplete());
  }
}
