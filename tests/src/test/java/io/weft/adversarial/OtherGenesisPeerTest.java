package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.sync.PeerHeights;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A peer on another chain (another genesis), taller than ours, is ignored for sync. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class OtherGenesisPeerTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that a victim connected to an honest peer (80 commits) and to a peer on another
   * genesis (300 commits) syncs only the honest chain: the other peer is tracked under its own
   * genesis, never counts towards our highest known commit, is never fetched from (no offence),
   * and the victim keeps serving.
   */
  @Test
  void peerOnAnotherGenesisIsIgnoredForSync(Vertx vertx, @TempDir Path dir) throws Exception {
    Chain ours = Chains.build(81, 1000, 81);
    Chain theirs = Chains.build(301, 1000, 82);
    assertThat(theirs.genesisDigest()).isNotEqualTo(ours.genesisDigest());
    Chains.importInto(dir.resolve("honest"), ours, 81);
    Chains.importInto(dir.resolve("other"), theirs, 301);
    TestNodes.Node honest = await(nodes.start(TestNodes.fastOptions().setDataDir(dir.resolve("honest").toString()),
        NetworkKey.generate(), ours.genesis()), 20);
    TestNodes.Node other = await(nodes.start(TestNodes.fastOptions().setDataDir(dir.resolve("other").toString()),
        NetworkKey.generate(), theirs.genesis()), 20);
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(
        new DiscoveryOptions.Seed(other.node().address(), other.node().peerId()),
        new DiscoveryOptions.Seed(honest.node().address(), honest.node().peerId())));
    options.getSync().setBatchSize(10);
    TestNodes.Node victim = await(nodes.start(options, NetworkKey.generate(), ours.genesis()), 20);

    awaitTrue(vertx, 30_000, "victim synced our chain and probed the other peer",
        () -> victim.node().syncStatus().highestSynced() == 80
            && victim.node().peerHeights().get(other.node().peerId()).isPresent());
    PeerHeights.Info info = victim.node().peerHeights().get(other.node().peerId()).orElseThrow();
    assertThat(info.genesis()).isEqualTo(theirs.genesisDigest());
    assertThat(victim.node().peerHeights().highestKnown(ours.genesisDigest())).isLessThanOrEqualTo(81);
    assertThat(victim.node().peerHeightsByPeer()).doesNotContainKey(other.node().peerId());
    assertThat(victim.node().syncStatus().highestDigest()).isEqualTo(ours.digest(80));
    assertThat(victim.node().syncStats().offences.get()).isZero();
    assertThat(victim.node().syncStats().verificationFailures()).isZero();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
  }
}
