package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.weft.network.PeerChannel;
import io.weft.node.NodeOptions;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.testing.Adversary;
import io.weft.testing.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A GetKnownPeers flood from one peer is cut by its rate limit, while other peers are served. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GetKnownPeersFloodTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that 300 concurrent GetKnownPeers from one peer (burst 5, 1/s) are answered
   * RESOURCE_EXHAUSTED past the burst, each counted, and that an honest peer is served meanwhile.
   */
  @Test
  void floodPastTheRateLimit(Vertx vertx) throws Exception {
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setGetKnownPeersPerSecond(1).setGetKnownPeersBurst(5);
    TestNodes.Node victim = await(nodes.start(options), 20);
    PeerChannel flooder = await(Adversary.client(vertx, victim.node()), 10);
    List<Future<GetKnownPeersResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(flooder.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance()));
    }
    Future<GetKnownPeersResponse> honest = Adversary.honestQuery(vertx, victim.node());
    await(Future.join(calls).transform(ar -> Future.succeededFuture()), 20);
    long served = calls.stream().filter(Future::succeeded).count();
    long limited = calls.stream().filter(f -> f.failed() && statusOf(f.cause()) == GrpcStatus.RESOURCE_EXHAUSTED).count();
    assertThat(served).isBetween(5L, 7L);
    assertThat(limited).isEqualTo(300 - served);
    assertThat(victim.node().discoveryStats().rateLimited.get()).isEqualTo(limited);
    assertThat(await(honest, 10).hasOwnInfo()).as("an honest peer is served during the flood").isTrue();
  }
}
