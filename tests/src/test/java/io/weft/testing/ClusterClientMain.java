package io.weft.testing;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.weft.chain.Chain;
import io.weft.sync.CommitFollower;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of the cluster test: joins a node's Vert.x cluster and holds no node, only a consumer
 * of the node's committed sub-DAGs and a producer standing in for local consensus. Stdout is the
 * protocol with the parent (logs go to stderr):
 *
 * <pre>
 * JOINED members         the clustered Vert.x is up; members of the Hazelcast cluster seen
 * READY                  the consumers are registered (cluster-wide)
 * LIVE i                 a commit published on &lt;ns&gt;.sync.committed reached the raw consumer
 * RECEIVED i             the CommitFollower delivered commit i (in order, each once)
 * SUBMITTED i result     the node answered the request for commit i (applied | ignored)
 * DONE live=a recovered=b  commits 1..N were all submitted and received in order
 * ERROR reason           something went wrong; the process keeps running until killed
 * </pre>
 *
 * <p>Args: {@code --config FILE --cluster NAME --port P --member HOST:PORT --ns NAMESPACE
 * --chain-seed S --chain-length L --commits N}. The chain is {@link Chains#build}{@code (L, 1000, S)},
 * the same one the parent's node was given; commits 1..N are submitted in order, each awaited.
 */
public final class ClusterClientMain {

  private ClusterClientMain() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err);

    String configFile = null;
    String cluster = null;
    int port = 0;
    String member = null;
    String ns = null;
    long chainSeed = 0;
    int chainLength = 0;
    int commits = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--config" -> configFile = value;
        case "--cluster" -> cluster = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--member" -> member = value;
        case "--ns" -> ns = value;
        case "--chain-seed" -> chainSeed = Long.parseLong(value);
        case "--chain-length" -> chainLength = Integer.parseInt(value);
        case "--commits" -> commits = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (configFile == null || cluster == null || member == null || ns == null || commits <= 0
        || chainLength <= commits) {
      throw new IllegalArgumentException("usage: --config FILE --cluster NAME --port P --member HOST:PORT"
          + " --ns NAMESPACE --chain-seed S --chain-length L --commits N (N < L)");
    }

    Chain chain = Chains.build(chainLength, 1000, chainSeed);
    Config config = ClusterManagers.isolate(ClusterManagers.load(Path.of(configFile)), cluster,
        ClusterManagers.LOOPBACK, port, List.of(member));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    Vertx vertx;
    try {
      vertx = ClusterManagers.clusteredVertx(manager, ClusterManagers.LOOPBACK)
          .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      protocol.println("ERROR cannot join the cluster: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    protocol.println("JOINED " + manager.getNodes().size());

    Client client = new Client(protocol, ns, chain, commits);
    vertx.deployVerticle(client).onFailure(e -> {
      protocol.println("ERROR deploy: " + e);
      e.printStackTrace();
    });
    // Runs until killed (the parent SIGKILLs it: the cluster loses a member without a goodbye), but
    // never outlives the parent test JVM, nor 5 minutes, should the parent die before killing it.
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(2)));
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    protocol.println("ERROR still running after 5 minutes; exiting");
    Runtime.getRuntime().halt(3);
  }

  /** The consumer and the producer, on one context. */
  static final class Client extends VerticleBase {

    private final PrintStream protocol;
    private final String ns;
    private final Chain chain;
    private final int commits;
    private long expected = 1;
    private long live;
    private boolean produced;
    private boolean done;
    private boolean failed;
    private CommitFollower follower;

    Client(PrintStream protocol, String ns, Chain chain, int commits) {
      this.protocol = protocol;
      this.ns = ns;
      this.chain = chain;
      this.commits = commits;
    }

    @Override
    public Future<?> start() {
      // A raw subscriber: what the clustered publish actually carries across (no recovery).
      MessageConsumer<JsonObject> raw = vertx.eventBus().consumer(SyncAddresses.committed(ns), m -> {
        live++;
        protocol.println("LIVE " + m.body().getLong("index"));
      });
      Future<CommitFollower> following = CommitFollower.follow(vertx, ns, 1, 1_000, this::onCommitted)
          .onSuccess(f -> follower = f);
      return Future.all(raw.completion(), following).onSuccess(v -> {
        protocol.println("READY");
        submit(1);
      });
    }

    private void onCommitted(SubDagMessage message) {
      if (failed) {
        return;
      }
      protocol.println("RECEIVED " + message.index());
      if (message.index() != expected) {
        fail("expected commit " + expected + " but got " + message.index());
        return;
      }
      expected++;
      maybeDone();
    }

    private void submit(long index) {
      if (index > commits || failed) {
        produced = true;
        maybeDone();
        return;
      }
      vertx.eventBus().<JsonObject>request(SyncAddresses.consensus(ns), SubDagMessage.of(chain.subDag(index)).toJson(),
              new DeliveryOptions().setSendTimeout(10_000))
          .onSuccess(reply -> {
            protocol.println("SUBMITTED " + index + " " + reply.body().getString("result"));
            submit(index + 1);
          })
          .onFailure(e -> fail("submitting commit " + index + ": " + e));
    }

    private void maybeDone() {
      if (produced && expected == commits + 1L && !failed && !done) {
        done = true;
        protocol.println("DONE live=" + live + " recovered=" + (follower == null ? -1 : follower.recovered()));
      }
    }

    private void fail(String reason) {
      failed = true;
      protocol.println("ERROR " + reason);
    }
  }
}
