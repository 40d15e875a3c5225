package io.weft.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.weft.bus.Mailboxes;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.GenesisFile;
import io.weft.crypto.KeyFile;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.chain.Genesis;
import io.weft.status.StatusOptions;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.sync.SyncOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local network of N nodes in this JVM, each in its own {@link Vertx} (as if in its own
 * process) on 127.0.0.1, each a {@link WeftNodeVerticle} (node + status endpoint). Node {@code i}
 * keeps its key, known peers and store in {@code DIR/node-i}; node 0 is every other node's seed.
 * All sync the chain of {@code DIR/genesis.json} (written on the first run, as {@code weft
 * genesis} would with committee {@value #COMMITTEE} and seed {@value #SEED}); a commit producer,
 * standing in for local consensus, hands node 0 one signed commit every {@code 1/R} s over
 * {@code <ns>.sync.consensus}, and the others sync them from the network. Ports are remembered in
 * {@code DIR/nodes.json}, so a second run on the same DIR brings back the same network: same peer
 * ids, same addresses, heights continuing from the stores.
 */
final class Devnet implements AutoCloseable {

  /** What to start; {@code commitsPerSecond} 0 = no producer. */
  record Settings(int nodes, Path dir, long tickMs, int commitsPerSecond) {
    Settings(int nodes, Path dir, long tickMs) {
      this(nodes, dir, tickMs, DEFAULT_COMMITS_PER_SECOND);
    }
  }

  /** A running node. */
  record Member(String name, Vertx vertx, WeftNodeVerticle verticle, String deploymentId, Path dataDir) {
    WeftNode node() {
      return verticle.node();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

  static final String HOST = "127.0.0.1";
  static final String GENESIS = "genesis.json";
  static final int COMMITTEE = 4;
  static final int EPOCH_LENGTH = 1000;
  static final long SEED = 1;
  static final int DEFAULT_COMMITS_PER_SECOND = 5;
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);
  private static final long SUBMIT_TIMEOUT_MS = 10_000;

  private final Settings settings;
  private final List<Member> members;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong submitted = new AtomicLong();
  private volatile long resumedFrom = -1;
  private volatile String producerProblem;
  private ScheduledExecutorService producerThread;
  private ChainBuilder.Producer producer;
  private CommittedSubDag pending;
  /** The closing votes of {@link #pending} when it ends an epoch, else empty. */
  private List<io.weft.chain.VerifiedBlock> pendingCertifiers = List.of();

  private Devnet(Settings settings, List<Member> members) {
    this.settings = settings;
    this.members = List.copyOf(members);
  }

  /**
   * Starts every node (node 0 first), writes {@code DIR/nodes.json}, then starts the commit
   * producer. On any failure the nodes already started are closed before the exception leaves.
   *
   * @throws UserError when a key file is unusable, the genesis is another chain, a remembered
   *     port or a store is in use
   */
  static Devnet start(Settings settings) throws Exception {
    Path dir = settings.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError("cannot create devnet directory " + dir + ": " + e.getMessage());
    }
    Path genesisFile = genesis(dir);
    Map<String, NodesFile.Ports> ports = NodesFile.readPorts(dir);
    for (int i = 0; i < settings.nodes(); i++) {
      String name = "node-" + i;
      Path key = nodeDir(dir, i).resolve("network.key");
      try {
        KeyFile.loadOrCreate(key);
      } catch (Exception e) {
        UserError user = Failures.asUserError(e, name + " key " + key);
        throw user != null ? user : e;
      }
      NodesFile.Ports remembered = ports.get(name);
      if (remembered != null && (!free(remembered.grpc()) || !free(remembered.http()))) {
        throw portInUse(dir, name, remembered, null);
      }
    }
    List<Vertx> vertxes = new ArrayList<>();
    List<Member> started = Collections.synchronizedList(new ArrayList<>());
    try {
      Vertx seedVertx = Vertx.vertx();
      vertxes.add(seedVertx);
      Member seed = Await.result(startNode(seedVertx, settings, 0, genesisFile, ports, null),
          START_TIMEOUT, "starting node-0");
      started.add(seed);
      DiscoveryOptions.Seed seedAddress =
          new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId());
      List<Future<Member>> others = new ArrayList<>();
      for (int i = 1; i < settings.nodes(); i++) {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        others.add(startNode(vertx, settings, i, genesisFile, ports, seedAddress)
            .onSuccess(started::add));
      }
      Await.result(Future.join(others), START_TIMEOUT, "starting the nodes");
      List<Member> ordered = new ArrayList<>(List.of(seed));
      others.forEach(f -> ordered.add(f.result()));
      Devnet devnet = new Devnet(settings, ordered);
      devnet.writeNodesFile();
      devnet.startProducer();
      return devnet;
    } catch (Exception | Error e) {
      try {
        closeAll(new ArrayList<>(started), vertxes);
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** The builder of the devnet's chain; its producer signs commits for {@code DIR/genesis.json}. */
  static ChainBuilder chainBuilder() {
    return GenesisVerb.builder(COMMITTEE, EPOCH_LENGTH, SEED);
  }

  /** Writes {@code DIR/genesis.json} on the first run; checks it is the devnet's chain on the next. */
  private static Path genesis(Path dir) throws IOException {
    Path file = dir.resolve(GENESIS).toAbsolutePath().normalize();
    Chain expected = GenesisVerb.genesisChain(COMMITTEE, EPOCH_LENGTH, SEED);
    if (!Files.exists(file)) {
      GenesisFile.write(file, expected.genesis());
      return file;
    }
    Genesis found;
    try {
      found = GenesisFile.read(file);
    } catch (IOException e) {
      throw new UserError(Failures.oneLine(e.getMessage()) + "; delete " + dir + " to start a new devnet", e);
    }
    if (!found.equals(expected.genesis())) {
      throw new UserError(file + " is not the devnet's chain (committee " + COMMITTEE + ", seed " + SEED
          + "); the devnet's producer cannot sign for it: use another --data or delete " + dir);
    }
    return file;
  }

  private static boolean free(int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Future<Member> startNode(Vertx vertx, Settings settings, int i, Path genesisFile,
      Map<String, NodesFile.Ports> ports, DiscoveryOptions.Seed seed) {
    String name = "node-" + i;
    Path dataDir = nodeDir(settings.dir(), i).toAbsolutePath().normalize();
    NodesFile.Ports remembered = ports.getOrDefault(name, new NodesFile.Ports(0, 0));
    NodeOptions options = new NodeOptions()
        .setKeyFile(dataDir.resolve("network.key").toString())
        .setDataDir(dataDir.toString())
        .setGenesisFile(genesisFile.toString())
        .setNetwork(new NetworkOptions().setHost(HOST).setPort(remembered.grpc())
            // node 0 is every node's seed, dialled by all at once
            .setMaxInboundConnections(seed == null ? Math.max(settings.nodes(), NetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS)
                : NetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS))
        .setDiscovery(new DiscoveryOptions().setTickIntervalMs(settings.tickMs())
            .setSeeds(seed == null ? List.of() : List.of(seed)))
        .setSync(new SyncOptions().setTickIntervalMs(Math.min(settings.tickMs(), SyncOptions.DEFAULT_TICK_INTERVAL_MS)));
    JsonObject config = new NodeConfig(options,
        new StatusOptions().setHost(HOST).setPort(remembered.http())).toJson();
    WeftNodeVerticle verticle = new WeftNodeVerticle();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
        .map(id -> new Member(name, vertx, verticle, id, dataDir))
        .recover(e -> Future.failedFuture(
            Failures.isPortInUse(e) ? portInUse(settings.dir(), name, remembered, e)
                : Failures.isStoreLocked(e) ? new UserError("the store of " + name + " in " + dataDir
                    + " is in use (another devnet on " + settings.dir() + "?)", e) : e));
  }

  private static UserError portInUse(Path dir, String name, NodesFile.Ports ports, Throwable cause) {
    return new UserError("a port of " + name + " (gRPC " + HOST + ":" + ports.grpc() + ", HTTP " + HOST + ":"
        + ports.http() + ", remembered in " + dir.resolve(NodesFile.NAME) + ") is in use; stop whatever"
        + " holds it (another devnet on " + dir + "?) or delete that file to pick new ports", cause);
  }

  private static Path nodeDir(Path dir, int i) {
    return dir.resolve("node-" + i);
  }

  private void writeNodesFile() throws IOException {
    List<NodesFile.Entry> entries = new ArrayList<>();
    for (Member m : members) {
      entries.add(new NodesFile.Entry(m.name(), m.node().peerId().toHex(), m.node().address(),
          m.verticle().httpUrl(), m.dataDir().toString(), m.dataDir().resolve("store").toString()));
    }
    NodesFile.write(settings.dir(), entries);
  }

  // ---- commit producer ----

  private void startProducer() {
    if (settings.commitsPerSecond() <= 0) {
      return;
    }
    producerThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-devnet-producer");
      t.setDaemon(true);
      return t;
    });
    long periodMicros = 1_000_000L / settings.commitsPerSecond();
    producerThread.scheduleAtFixedRate(this::produceOne, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Hands node 0 the next commit; on failure keeps it and tries again next time. */
  private void produceOne() {
    try {
      Member target = members.get(0);
      if (producer == null) {
        long height = target.node().syncStatus().highestSynced();
        producer = resume(height);
        resumedFrom = height;
      }
      if (pending == null) {
        pending = producer.next();
        // an epoch's last commit goes with the closing votes that certify it (no later commit orders them)
        pendingCertifiers = pending.blocks().get(0).block().hasNextCommittee()
            ? producer.pendingCertifiers() : List.of();
      }
      JsonObject reply = Await.result(Mailboxes.<JsonObject>request(target.vertx(),
          SyncAddresses.consensus(target.node().namespace()), SubDagMessage.of(pending, pendingCertifiers).toJson(),
          new DeliveryOptions().setSendTimeout(SUBMIT_TIMEOUT_MS)), Duration.ofMillis(SUBMIT_TIMEOUT_MS + 1000),
          "commit " + pending.index()).body();
      LOG.debug("commit {}: {}", pending.index(), reply);
      pending = null;
      submitted.incrementAndGet();
      producerProblem = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      String problem = Failures.oneLine(String.valueOf(Failures.unwrap(e).getMessage()));
      if (!problem.equals(producerProblem)) {
        LOG.warn("producer: {} (retrying)", problem);
      }
      producerProblem = problem;
    }
  }

  /** A producer continuing after commit {@code height} of the devnet's chain. */
  private static ChainBuilder.Producer resume(long height) {
    if (height <= 0) {
      return chainBuilder().producer();
    }
    LOG.info("producer: rebuilding the chain up to commit {} to continue it", height);
    ChainBuilder builder = chainBuilder();
    return builder.producer(builder.build(Math.toIntExact(height)));
  }

  /** The commit node 0 held when the producer started after it; -1 before it started. */
  long resumedFrom() {
    return resumedFrom;
  }

  /** Commits node 0 accepted from the producer in this run. */
  long submitted() {
    return submitted.get();
  }

  private void stopProducer() throws InterruptedException {
    ScheduledExecutorService thread = producerThread;
    if (thread != null) {
      thread.shutdownNow();
      if (!thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("producer did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
      }
    }
  }

  // ---- status ----

  List<Member> members() {
    return members;
  }

  /** Whether every node has an active connection to every other node. */
  boolean allConnected() {
    return members.stream().allMatch(m -> m.node().activePeers().size() >= members.size() - 1);
  }

  /** {@code t=12s commits=60  node-0 a1b2c3d4 peers=3 h=60 | node-1 ...}. */
  String statusLine() {
    long ms = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    String t = settings.tickMs() % 1000 == 0 ? (ms / 1000) + "s"
        : String.format("%d.%ds", ms / 1000, ms % 1000 / 100);
    StringBuilder line = new StringBuilder("t=").append(t);
    if (producerThread != null) {
      line.append(" commits=").append(submitted.get());
    }
    line.append(' ');
    for (int i = 0; i < members.size(); i++) {
      WeftNode node = members.get(i).node();
      line.append(i == 0 ? " " : " | ").append(members.get(i).name()).append(' ')
          .append(node.peerId().shortId())
          .append(" peers=").append(node.activePeers().size())
          .append(" h=").append(node.syncStatus().highestSynced());
    }
    String problem = producerProblem;
    if (problem != null) {
      line.append("  (producer: ").append(problem).append(')');
    }
    return line.toString();
  }

  /**
   * Prints a status line every tick until {@code stop} fires, and once, when it first happens,
   * {@code all N nodes connected to each other}.
   */
  void report(StopSignal stop, PrintStream out) throws InterruptedException {
    boolean announced = false;
    do {
      out.println(statusLine());
      if (!announced && allConnected()) {
        out.println("all " + members.size() + " nodes connected to each other");
        announced = true;
      }
      out.flush();
    } while (!stop.await(settings.tickMs()));
  }

  /** Stops the producer, then closes every node (in parallel), then their Vert.x instances. */
  @Override
  public void close() throws Exception {
    try {
      stopProducer();
    } finally {
      closeAll(members, members.stream().map(Member::vertx).toList());
    }
  }

  private static void closeAll(List<Member> members, List<Vertx> vertxes) throws Exception {
    try {
      Await.result(Future.join(members.stream().map(m -> m.vertx().undeploy(m.deploymentId())).toList()),
          CLOSE_TIMEOUT, "closing the devnet's nodes");
    } finally {
      // Called from this thread, never chained on a node's future: those complete on event loops
      // that vertx.close() shuts down.
      Await.result(Future.join(vertxes.stream().map(Vertx::close).toList()),
          CLOSE_TIMEOUT, "closing the devnet's Vert.x instances");
    }
  }
}
