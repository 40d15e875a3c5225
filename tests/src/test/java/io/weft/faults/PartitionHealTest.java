package io.weft.faults;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.sync.SubDagMessage;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network partition and its healing: six nodes on one genesis, fully connected, split into
 * {0,1,2} and {3,4,5} by every node denying the other half (deny disconnects and refuses dials
 * both ways until a deadline). Node 0 takes commits from its local consensus during the split;
 * only its half follows. Once the deny windows lapse, discovery redials and all six converge.
 */
@ExtendWith(VertxExtension.class)
class PartitionHealTest {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionHealTest.class);

  private static final int NODES = 6;
  /** Commits node 0 applies before the split, during it, and after the heal. */
  private static final int BEFORE = 10;
  private static final int DURING = 40;
  private static final int AFTER = 45;
  /**
   * How long each side refuses the other. Long enough for node 0 to apply 30 commits and its half
   * to sync them on a loaded 2-core machine (about 1 s here), short enough to keep the test quick.
   */
  private static final long DENY_MS = 6_000;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that while the network is split, commits made on one side reach that side only (the
   * other side's highest synced commit does not move), and that after the split heals the links
   * come back and all six nodes converge on the same last certified commit and digest, and keep
   * following new commits; no node dies on the way.
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void splitNetworkConvergesAfterHealing(Vertx vertx) throws Exception {
    // GIVEN six nodes on one genesis, seeded with node 0, fully connected
    Chain chain = Chains.build(AFTER + 1, 1000, 41);
    Node zero = await(nodes.start(TestNodes.fastOptions(), NetworkKey.generate(), chain.genesis()), 30);
    List<Future<Node>> starting = new ArrayList<>();
    for (int i = 1; i < NODES; i++) {
      NodeOptions options = TestNodes.fastOptions();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(zero.node().address(), zero.node().peerId())));
      starting.add(nodes.start(options, NetworkKey.generate(), chain.genesis()));
    }
    List<Node> all = new ArrayList<>(List.of(zero));
    for (Future<Node> node : starting) {
      all.add(await(node, 30));
    }
    List<Node> sideA = all.subList(0, NODES / 2);
    List<Node> sideB = all.subList(NODES / 2, NODES);
    awaitTrue(vertx, 30_000, "a full mesh of 6", () -> all.stream().allMatch(n -> n.node().peers().size() == NODES - 1));
    submit(zero, chain, 1, BEFORE);
    awaitTrue(vertx, 20_000, "all at commit " + (BEFORE - 1), () -> allAtLeast(all, BEFORE - 1));
    long bBefore = sideB.get(0).node().syncStatus().highestSynced();
    assertThat(bBefore).isEqualTo(BEFORE - 1);

    // WHEN each node denies the other half for DENY_MS
    long until = System.currentTimeMillis() + DENY_MS;
    List<Future<Void>> denies = new ArrayList<>();
    for (Node a : sideA) {
      for (Node b : sideB) {
        denies.add(deny(a, b.node().peerId(), until));
        denies.add(deny(b, a.node().peerId(), until));
      }
    }
    await(Future.all(denies), 10);
    awaitTrue(vertx, 5_000, "no link across the split", () -> noLinkAcross(sideA, sideB) && noLinkAcross(sideB, sideA));
    // AND node 0 applies commits from its local consensus meanwhile
    long splitAt = System.currentTimeMillis();
    submit(zero, chain, BEFORE + 1, DURING);
    // THEN its half follows (to the last certified commit, DURING - 1; node 0 holds its local tip DURING)
    awaitTrue(vertx, DENY_MS, "side A synced " + (DURING - 1), () -> allAtLeast(sideA, DURING - 1));
    LOG.info("side A synced {} commits in {} ms of the {} ms split", DURING - BEFORE,
        System.currentTimeMillis() - splitAt, DENY_MS);
    // AND the other half did not move, up to the end of the split
    awaitTrue(vertx, DENY_MS, "the split nearly over", () -> System.currentTimeMillis() >= until - 300);
    List<Long> bHeights = sideB.stream().map(n -> n.node().syncStatus().highestSynced()).toList();
    boolean crossLinks = !noLinkAcross(sideA, sideB) || !noLinkAcross(sideB, sideA);
    long observed = System.currentTimeMillis();
    assertThat(observed).as("side B was observed before the deny windows lapsed (machine too slow?)").isLessThan(until);
    assertThat(bHeights).as("side B's highest synced commits at the end of the split").containsOnly(bBefore);
    assertThat(crossLinks).as("a link across the split").isFalse();
    assertThat(zero.node().syncStatus().highestSynced()).isEqualTo(DURING);

    // WHEN the deny windows lapse: discovery redials the other half
    long healed = System.currentTimeMillis();
    awaitTrue(vertx, 30_000, "the full mesh is back", () -> all.stream().allMatch(n -> n.node().peers().size() == NODES - 1));
    // THEN all six converge on the last certified commit, with the same digest
    awaitTrue(vertx, 30_000, "side B caught up to " + (DURING - 1), () -> allAtLeast(sideB, DURING - 1));
    LOG.info("mesh back and side B caught up {} ms after the split ended", System.currentTimeMillis() - healed);
    assertLastCertified(all, chain, DURING);

    // AND new commits reach everyone through the healed network
    submit(zero, chain, DURING + 1, AFTER);
    awaitTrue(vertx, 20_000, "all at " + (AFTER - 1), () -> allAtLeast(all, AFTER - 1));
    assertLastCertified(all, chain, AFTER);

    // AND no node died: each still answers an honest client and holds no peer of another chain
    for (Node node : all) {
      assertThat(await(Adversary.honestQuery(vertx, node.node()), 10).hasOwnInfo())
          .as("node %s answers", node.node().peerId().shortId()).isTrue();
      assertThat(node.node().syncStats().localCommitsRejected.get()).isZero();
    }
  }

  /** Node 0 holds its local tip {@code tip}; every other node holds tip − 1, the last certified commit. */
  private static void assertLastCertified(List<Node> all, Chain chain, long tip) {
    assertThat(all.get(0).node().syncStatus().highestSynced()).isEqualTo(tip);
    for (Node node : all.subList(1, all.size())) {
      assertThat(node.node().syncStatus().highestSynced()).as("node %s", node.node().peerId().shortId())
          .isEqualTo(tip - 1);
      assertThat(node.node().syncStatus().highestDigest()).isEqualTo(chain.digest(tip - 1));
    }
  }

  private static boolean allAtLeast(List<Node> nodes, long height) {
    return nodes.stream().allMatch(n -> n.node().syncStatus().highestSynced() >= height);
  }

  private static boolean noLinkAcross(List<Node> from, List<Node> to) {
    Set<PeerId> others = to.stream().map(n -> n.node().peerId()).collect(Collectors.toSet());
    return from.stream().noneMatch(n -> n.node().activePeers().ids().stream().anyMatch(others::contains));
  }

  private static Future<Void> deny(Node node, PeerId peer, long untilMs) {
    return new ConnectionManagerClient(node.vertx(), node.node().namespace(), new NetworkOptions()).deny(peer, untilMs);
  }

  /** Hands commits {@code from..to} to {@code node}'s local consensus address, one after the other. */
  private static void submit(Node node, Chain chain, long from, long to) throws Exception {
    Future<String> last = Future.succeededFuture();
    for (long i = from; i <= to; i++) {
      long index = i;
      last = last.compose(x -> node.node().submit(SubDagMessage.of(chain.subDag(index))));
    }
    assertThat(await(last, 30)).isEqualTo("applied");
  }
}
