package io.weft.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.KeyFile;
import io.weft.crypto.NetworkKey;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code weft start --conf FILE}: runs one node from a JSON config ({@link NodeOptions}) until
 * SIGINT / SIGTERM, then closes the node and its Vert.x.
 */
final class StartVerb implements Verb {

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "start";
  }

  @Override
  public String usage() {
    return "  start --conf FILE      run one node configured by FILE (see conf/node.json) until\n"
        + "                         Ctrl-C or SIGTERM; creates the key file on first start";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Path conf = Path.of(Args.parse(name(), args, Set.of("conf")).required("conf"));
    NodeOptions options = readConfig(conf);
    NetworkKey key = KeyFile.loadOrCreate(Path.of(options.getKeyFile()));
    StopSignal stop = console.stops().get();
    Vertx vertx = null;
    WeftNode node = null;
    boolean closed = false;
    try {
      vertx = Vertx.vertx();
      try {
        node = Await.result(WeftNode.deploy(vertx, options, key), START_TIMEOUT, "node start");
      } catch (Exception e) {
        if (Failures.isPortInUse(e)) {
          throw new UserError("cannot listen on " + options.getNetwork().getHost() + ":"
              + options.getNetwork().getPort() + ": port in use (network.port in " + conf + ")", e);
        }
        throw e;
      }
      console.out().println("node " + node.peerId().shortId() + " listening on " + node.address());
      console.out().flush();
      stop.await();
      closed = true;
      return close(node, vertx, console) ? 0 : 1;
    } finally {
      if (!closed) {
        close(node, vertx, console);
      }
      stop.stopped();
    }
  }

  /** Closes the node, then its Vert.x; false (after one line on stderr) if that failed. */
  private static boolean close(WeftNode node, Vertx vertx, Console console) {
    if (vertx == null) {
      return true;
    }
    try {
      if (node != null) {
        Await.result(node.close(), CLOSE_TIMEOUT, "closing the node");
      }
      // Not chained on the node's future: that one completes on an event loop vertx.close() ends.
      Await.result(vertx.close(), CLOSE_TIMEOUT, "closing Vert.x");
      return true;
    } catch (Exception e) {
      console.err().println("weft: " + Failures.oneLine(e.getMessage()));
      return false;
    }
  }

  /** Reads and validates a node config; every problem is one {@link UserError} line. */
  static NodeOptions readConfig(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserError("config file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new UserError("config file " + file + " is not readable (permission denied)");
    } catch (IOException e) {
      throw new UserError("cannot read config file " + file + ": " + e.getMessage());
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      String reason = Failures.oneLine(e.getMessage())
          .replaceAll("\\s*at \\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", " (line $1, column $2)");
      throw new UserError("config file " + file + " is not a valid JSON object: " + reason);
    }
    try {
      return new NodeOptions(json);
    } catch (IllegalArgumentException e) {
      throw new UserError("config file " + file + ": " + Failures.oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      throw new UserError("config file " + file + " is invalid: " + Failures.oneLine(e.toString()));
    }
  }
}
