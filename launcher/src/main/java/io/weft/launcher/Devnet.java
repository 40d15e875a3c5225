package io.weft.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.crypto.KeyFile;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A local network of N nodes in this JVM, each in its own {@link Vertx} (as if in its own
 * process) on 127.0.0.1. Node {@code i} keeps its key and data in {@code DIR/node-i}; node 0 is
 * every other node's seed. Ports are remembered in {@code DIR/nodes.json}, so a second run on the
 * same DIR brings back the same network: same peer ids, same addresses.
 */
final class Devnet implements AutoCloseable {

  /** What to start. */
  record Settings(int nodes, Path dir, long tickMs) {
  }

  /** A running node. */
  record Member(String name, Vertx vertx, WeftNode node, Path dataDir) {
  }

  static final String HOST = "127.0.0.1";
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private final Settings settings;
  private final List<Member> members;
  private final long startedNanos = System.nanoTime();

  private Devnet(Settings settings, List<Member> members) {
    this.settings = settings;
    this.members = List.copyOf(members);
  }

  /**
   * Starts every node (node 0 first), then writes {@code DIR/nodes.json}. On any failure the
   * nodes already started are closed before the exception leaves.
   *
   * @throws UserError when a key file is unusable or a remembered port is taken
   */
  static Devnet start(Settings settings) throws Exception {
    Path dir = settings.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError("cannot create devnet directory " + dir + ": " + e.getMessage());
    }
    Map<String, Integer> ports = NodesFile.readPorts(dir);
    List<NetworkKey> keys = new ArrayList<>();
    for (int i = 0; i < settings.nodes(); i++) {
      keys.add(KeyFile.loadOrCreate(nodeDir(dir, i).resolve("network.key")));
    }
    List<Vertx> vertxes = new ArrayList<>();
    List<Member> started = Collections.synchronizedList(new ArrayList<>());
    try {
      Vertx seedVertx = Vertx.vertx();
      vertxes.add(seedVertx);
      Member seed = Await.result(startNode(seedVertx, settings, 0, keys.get(0), ports, null),
          START_TIMEOUT, "starting node-0");
      started.add(seed);
      DiscoveryOptions.Seed seedAddress =
          new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId());
      List<Future<Member>> others = new ArrayList<>();
      for (int i = 1; i < settings.nodes(); i++) {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        others.add(startNode(vertx, settings, i, keys.get(i), ports, seedAddress)
            .onSuccess(started::add));
      }
      Await.result(Future.join(others), START_TIMEOUT, "starting the nodes");
      List<Member> ordered = new ArrayList<>(List.of(seed));
      others.forEach(f -> ordered.add(f.result()));
      Devnet devnet = new Devnet(settings, ordered);
      devnet.writeNodesFile();
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

  private static Future<Member> startNode(Vertx vertx, Settings settings, int i, NetworkKey key,
      Map<String, Integer> ports, DiscoveryOptions.Seed seed) {
    String name = "node-" + i;
    Path dataDir = nodeDir(settings.dir(), i).toAbsolutePath().normalize();
    int port = ports.getOrDefault(name, 0);
    NodeOptions options = new NodeOptions()
        .setKeyFile(dataDir.resolve("network.key").toString())
        .setDataDir(dataDir.toString())
        .setNetwork(new NetworkOptions().setHost(HOST).setPort(port))
        .setDiscovery(new DiscoveryOptions().setTickIntervalMs(settings.tickMs())
            .setSeeds(seed == null ? List.of() : List.of(seed)));
    return WeftNode.deploy(vertx, options, key)
        .map(node -> new Member(name, vertx, node, dataDir))
        .recover(e -> Future.failedFuture(
            Failures.isPortInUse(e) ? portInUse(settings.dir(), name, port, e) : e));
  }

  private static UserError portInUse(Path dir, String name, int port, Throwable cause) {
    return new UserError("port " + HOST + ":" + port + " of " + name + " (remembered in "
        + dir.resolve(NodesFile.NAME) + ") is in use; stop whatever holds it (another devnet on "
        + dir + "?) or delete that file to pick new ports", cause);
  }

  private static Path nodeDir(Path dir, int i) {
    return dir.resolve("node-" + i);
  }

  private void writeNodesFile() throws IOException {
    List<NodesFile.Entry> entries = new ArrayList<>();
    for (Member m : members) {
      entries.add(new NodesFile.Entry(m.name(), m.node().peerId().toHex(), m.node().address(),
          null, m.dataDir().toString()));
    }
    NodesFile.write(settings.dir(), entries);
  }

  List<Member> members() {
    return members;
  }

  /** Whether every node has an active connection to every other node. */
  boolean allConnected() {
    return members.stream().allMatch(m -> m.node().activePeers().size() >= members.size() - 1);
  }

  /** {@code t=12s  node-0 a1b2c3d4 peers=3 known=3 | node-1 ...}. */
  String statusLine() {
    long ms = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    String t = settings.tickMs() % 1000 == 0 ? (ms / 1000) + "s"
        : String.format("%d.%ds", ms / 1000, ms % 1000 / 100);
    StringBuilder line = new StringBuilder("t=").append(t).append(' ');
    for (int i = 0; i < members.size(); i++) {
      WeftNode node = members.get(i).node();
      line.append(i == 0 ? " " : " | ").append(members.get(i).name()).append(' ')
          .append(node.peerId().shortId())
          .append(" peers=").append(node.activePeers().size())
          .append(" known=").append(node.discoveryState().size());
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

  /** Closes every node, then its Vert.x, all at once. */
  @Override
  public void close() throws Exception {
    closeAll(members, members.stream().map(Member::vertx).toList());
  }

  private static void closeAll(List<Member> members, List<Vertx> vertxes) throws Exception {
    Await.result(Future.join(members.stream().map(m -> m.node().close()).toList()),
        CLOSE_TIMEOUT, "closing the devnet's nodes");
    // Called from this thread, never chained on a node's future: those complete on event loops
    // that vertx.close() shuts down.
    Await.result(Future.join(vertxes.stream().map(Vertx::close).toList()),
        CLOSE_TIMEOUT, "closing the devnet's Vert.x instances");
  }
}
