package io.weft.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.Weft;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkAddresses;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import io.weft.testing.VertxTimers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that Weft embeds in someone else's Vert.x application and leaves it as it found it. */
@ExtendWith(VertxExtension.class)
class EmbeddingTest {

  private TestNodes nodes;
  /** The host application's Vert.x; closed from the test thread (its own loops cannot see their end). */
  private Vertx host;

  @BeforeEach
  void setUp(Vertx vertx) {
    nodes = new TestNodes(vertx);
    host = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
    host.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The host application's own verticle: an HTTP server answering "hello". */
  static final class HelloVerticle extends VerticleBase {
    private HttpServer server;

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer().requestHandler(req -> req.response().end("hello"));
      return server.listen(0, "127.0.0.1");
    }

    int port() {
      return server.actualPort();
    }
  }

  private static Future<String> get(Vertx vertx, int port) {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(req -> req.send().compose(resp -> resp.body())).map(Object::toString)
        .eventually(client::close);
  }


  private static long weftThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("weft-")).count();
  }

  /**
   * Verifies that a host application with its own HTTP verticle embeds a node, the node syncs a
   * chain from a peer and delivers it to the host through {@code follow}, and that after
   * {@code close()} the host still serves with no Weft timers, threads, handlers or shared state left.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void hostEmbedsSyncsAndClosesCleanly(Vertx vertx, VertxTestContext test, @TempDir Path peerDir) throws Exception {
    Chain chain = Chains.build(301, 1000, 51);
    Chains.importInto(peerDir, chain, 301);
    HelloVerticle hello = new HelloVerticle();
    List<Long> executed = new CopyOnWriteArrayList<>();
    long[] baseline = new long[2];
    nodes.start(TestNodes.fastOptions().setDataDir(peerDir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(peer -> host.deployVerticle(hello).compose(id -> {
          baseline[0] = VertxTimers.count(host);
          baseline[1] = weftThreads();
          NodeOptions options = TestNodes.fastOptions();
          options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(peer.node().address(), peer.node().peerId())));
          // GIVEN the host embeds a node
          return Weft.deploy(host, options, NetworkKey.generate(), chain.genesis());
        }))
        .compose(node -> {
          // WHEN it follows committed sub-DAGs and the node syncs from its peer
          io.vertx.core.Promise<Void> following = io.vertx.core.Promise.promise();
          host.runOnContext(v -> node.follow(1, (SubDagMessage m) -> executed.add(m.index())).<Void>mapEmpty().onComplete(following));
          return following.future()
              .compose(v -> TestNodes.eventually(vertx, 30_000, "the embedded node syncs 300 commits",
                  () -> node.syncStatus().highestSynced() == 300 && executed.size() == 300))
              .compose(v -> get(host, hello.port()))
              .map(body -> {
                test.verify(() -> assertThat(body).isEqualTo("hello"));
                return node;
              });
        })
        .compose(node -> node.close().map(v -> node))
        // THEN the host keeps serving, and nothing of Weft is left in it
        .compose(node -> get(host, hello.port()).compose(body -> host.eventBus()
            .request(SyncAddresses.commitByIndex(node.namespace()), new JsonObject().put("index", 1))
            .transform(ar -> {
              test.verify(() -> {
                assertThat(body).isEqualTo("hello");
                assertThat(executed).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 300).boxed().toList());
                assertThat(ar.failed()).isTrue();
                assertThat(((ReplyException) ar.cause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
                assertThat(VertxTimers.count(host)).as("timers").isEqualTo(baseline[0]);
                assertThat(host.sharedData().getLocalMap(node.namespace() + ".state").size()).isZero();
                assertThat(host.sharedData().getLocalMap(io.weft.bus.Mailboxes.GATES_MAP).keySet())
                    .noneMatch(address -> address.toString().startsWith(node.namespace()));
              });
              return TestNodes.eventually(vertx, 10_000, "Weft threads gone", () -> weftThreads() <= baseline[1]);
            })))
        .onComplete(test.succeedingThenComplete());
  }

  /** Verifies that two nodes embedded in one Vert.x keep separate state and addresses, and talk to each other. */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void twoNodesInOneVertxDoNotShareState(Vertx vertx, VertxTestContext test) {
    Weft.deploy(host, TestNodes.fastOptions(), NetworkKey.generate(), null).compose(a -> {
      NodeOptions options = TestNodes.fastOptions();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.address(), a.peerId())));
      return Weft.deploy(host, options, NetworkKey.generate(), null).compose(b ->
          TestNodes.eventually(vertx, 10_000, "A and B connected both ways",
                  () -> a.peers().contains(b.peerId()) && b.peers().contains(a.peerId()))
              .map(v -> {
                test.verify(() -> {
                  assertThat(a.namespace()).isNotEqualTo(b.namespace());
                  assertThat(a.activePeers()).isNotSameAs(b.activePeers());
                  assertThat(a.peers()).containsExactly(b.peerId());
                  assertThat(b.peers()).containsExactly(a.peerId());
                  assertThat(NetworkAddresses.mailbox(a.namespace())).isNotEqualTo(NetworkAddresses.mailbox(b.namespace()));
                  assertThat(a.discoveryState().ids()).containsExactly(b.peerId());
                  assertThat(b.discoveryState().ids()).containsExactly(a.peerId());
                });
                return List.of(a, b);
              }));
    }).compose(both -> Future.all(both.get(0).close(), both.get(1).close()))
        .onComplete(test.succeedingThenComplete());
  }
}
