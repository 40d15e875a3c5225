package io.weft.sync;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.KnownPeer;
import io.weft.discovery.KnownPeersFile;
import io.weft.discovery.SignedNodeInfos;
import io.weft.discovery.VerifiedNodeInfo;
import io.weft.network.NodeIdentity;
import io.weft.node.NodeOptions;
import io.weft.proto.DataRange;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.LyingSyncServer;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only peer serving a node goes silent mid-sync: it keeps the connection (keep-alive pings are
 * answered) but answers no sync call. The stall watchdog must rotate: rest the silent peer, have
 * discovery dial another peer advertising the range, and finish the sync, with no restart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SilentPeerWatchdogTest {

  private static final int COMMITS = 600;
  private static final Chain CHAIN = Chains.build(COMMITS + 1, 1000, 93);

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that node X, connected only to S (connection target 1; it also knows honest T and
   * both their signed ranges from its known-peers file), syncs all commits after S falls silent
   * once it has served two batches: the watchdog (2 s) rotates and asks for the range, discovery
   * dials T beyond the target, and the sync completes while S's connection is still up. The RPC
   * timeout is 60 s, so no call timing out is what rescues it.
   */
  @Test
  void theWatchdogRotatesToAPeerAdvertisingTheRange(Vertx vertx, @TempDir Path dir) throws Exception {
    // GIVEN honest T (not connected to anyone) and S, which serves two batches and then nothing
    Path tData = dir.resolve("t");
    Chains.importInto(tData, CHAIN, COMMITS + 1);
    TestNodes.Node t = await(nodes.start(TestNodes.fastOptions().setDataDir(tData.toString()),
        NetworkKey.generate(), CHAIN.genesis()), 20);
    awaitTrue(vertx, 10_000, "T signs its range", () -> t.node().discoveryState().ourInfo()
        .map(info -> verified(info).dataRange() != null).orElse(false));
    LyingSyncServer lies = new LyingSyncServer(CHAIN).silentAfter(2, true);
    NetworkKey sKey = NetworkKey.generate();
    Adversary.Bare s = await(Adversary.bare(vertx, NodeIdentity.of(sKey), lies), 10);

    // AND X knows both (with their signed ranges) but may hold one connection, to its seed S
    Path xData = dir.resolve("x");
    new KnownPeersFile(xData.resolve("known-peers.json")).save(List.of(
        known(rangeInfo(sKey, s.address(), CHAIN.tip() - 1)),
        known(t.node().discoveryState().ourInfo().orElseThrow())));
    NodeOptions xOptions = TestNodes.fastOptions().setDataDir(xData.toString());
    // (X keeps its seed: with shedSeeds it would leave S once T connects, and S's connection
    // staying up is what shows that the watchdog, not a lost connection, rescued the sync)
    xOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(s.address(), s.peerId())))
        .setTargetConcurrentConnections(1).setShedSeeds(false);
    xOptions.getSync().setBatchSize(50).setStallTimeoutMs(2_000).setRpcTimeoutMs(60_000);

    // WHEN X starts
    TestNodes.Node x = await(nodes.start(xOptions, NetworkKey.generate(), CHAIN.genesis()), 20);

    // THEN it completes through T, S still connected
    SyncStats stats = x.node().syncStats();
    awaitTrue(vertx, 60_000, "X synced all " + COMMITS + " commits",
        () -> x.node().syncStatus().highestSynced() == COMMITS);
    assertThat(x.node().syncStatus().highestDigest()).isEqualTo(CHAIN.digest(COMMITS));
    assertThat(lies.unanswered.get()).as("S left calls unanswered").isPositive();
    assertThat(stats.stallRotations.get()).isPositive();
    assertThat(stats.rangeRequests.get()).isPositive();
    assertThat(x.node().discoveryStats().rangeDials.get()).isPositive();
    assertThat(x.node().peers()).contains(s.peerId(), t.node().peerId());
  }

  private static VerifiedNodeInfo verified(SignedNodeInfo info) {
    try {
      return SignedNodeInfos.verify(info);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static KnownPeer known(SignedNodeInfo signed) {
    VerifiedNodeInfo info = verified(signed);
    return new KnownPeer(info.peerId(), signed, info.timestampMs(), info.addresses(), false, info.dataRange());
  }

  private static SignedNodeInfo rangeInfo(NetworkKey key, String address, long highest) {
    return SignedNodeInfos.sign(key, NodeInfo.newBuilder()
        .setPeerId(ByteString.copyFrom(key.peerId().toBytes())).addAddresses(address)
        .setTimestampMs(System.currentTimeMillis())
        .setDataRange(DataRange.newBuilder().setLowestAvailableCommit(0).setHighestSyncedCommit(highest))
        .build());
  }
}
