package io.weft.testing;

import io.vertx.core.Vertx;
import io.weft.chain.GenesisFile;
import io.weft.crypto.KeyFile;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.chain.Genesis;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child-process node for crash tests: syncs a chain from one seed into a data dir, reporting its
 * progress on stdout, which is the protocol with the parent test (logs go to stderr):
 *
 * <pre>
 * READY            once the node is deployed (sync has loaded its start state from the store)
 * HEIGHT n         every 20 ms: the highest synced commit
 * FAILED reason    deploy failed; the process exits with status 1
 * </pre>
 *
 * <p>Args: {@code --data DIR --genesis FILE --seed HOST:PORT@PEERIDHEX [--batch N] [--in-flight M]}.
 * The network key lives in {@code DIR/network.key} (created on first start), so a restart on the
 * same dir keeps the peer id. Small batches (default 10, 2 in flight) slow the sync down so a
 * parent can kill it midway.
 */
public final class SyncingNodeMain {

  private SyncingNodeMain() {
  }

  public static void main(String[] args) throws Exception {
    // The protocol owns the real stdout; anything else (logback's console appender) goes to stderr.
    PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    System.setOut(System.err);

    String data = null;
    String genesisFile = null;
    String seed = null;
    int batch = 10;
    int inFlight = 2;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--data" -> data = value;
        case "--genesis" -> genesisFile = value;
        case "--seed" -> seed = value;
        case "--batch" -> batch = Integer.parseInt(value);
        case "--in-flight" -> inFlight = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    if (data == null || genesisFile == null || seed == null) {
      throw new IllegalArgumentException("usage: --data DIR --genesis FILE --seed HOST:PORT@PEERIDHEX"
          + " [--batch N] [--in-flight M]");
    }
    int at = seed.lastIndexOf('@');
    DiscoveryOptions.Seed seedPeer = new DiscoveryOptions.Seed(seed.substring(0, at),
        PeerId.fromHex(seed.substring(at + 1)));

    NetworkKey key = KeyFile.loadOrCreate(Path.of(data, "network.key"));
    Genesis genesis = GenesisFile.read(Path.of(genesisFile));
    NodeOptions options = TestNodes.fastOptions().setDataDir(data);
    options.getDiscovery().setSeeds(List.of(seedPeer));
    options.getSync().setBatchSize(batch).setMaxBatchesInFlight(inFlight);

    Vertx vertx = Vertx.vertx();
    WeftNode node;
    try {
      node = WeftNode.deploy(vertx, options, key, genesis).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      protocol.println("FAILED " + e);
      protocol.flush();
      e.printStackTrace();
      System.exit(1);
      return;
    }
    // A graceful stop (SIGTERM) closes the node and its store; SIGKILL, of course, skips this.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        e.printStackTrace();
      }
    }, "syncing-node-shutdown"));

    protocol.println("READY " + node.peerId().toHex());
    protocol.flush();
    while (true) {
      protocol.println("HEIGHT " + node.syncStatus().highestSynced());
      protocol.flush();
      Thread.sleep(20);
    }
  }
}
