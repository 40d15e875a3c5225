package io.weft.launcher;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.weft.chain.GenesisFile;
import io.weft.crypto.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Vert.x application launcher ({@code io.vertx:vertx-launcher-application}, the replacement
 * for {@code vertx run}) with {@link WeftNodeVerticle} as its main verticle:
 *
 * <pre>
 * java -cp weft.jar io.weft.launcher.WeftApplication -conf conf/node.json [-cluster] [-options vertx.json]
 * java -jar weft.jar -conf conf/node.json ...      (the same: weft's first argument is a launcher option)
 * weft start --conf conf/node.json [--cluster] [--options vertx.json]   (the same, operator spelling)
 * </pre>
 *
 * <p>Every launcher option works as documented by Vert.x ({@code -conf}, {@code -options},
 * {@code -deployment-options}, {@code -cluster}, {@code -cluster-host}, {@code -cluster-port},
 * {@code -cluster-public-host}, {@code -cluster-public-port}, {@code -worker}), except
 * {@code -instances} above 1, which is refused: a node is one network key, one identity. What
 * Weft adds through {@link VertxApplicationHooks}:
 *
 * <ul>
 *   <li>{@code -conf} (and {@code -options}, {@code -deployment-options}) naming a file that is
 *       missing or not JSON is one {@code weft: ...} line and exit code 2 (the stock launcher
 *       would warn and start with an empty config); so is an invalid node config, an unreadable
 *       key or genesis file, and a port in use;
 *   <li>{@code -cluster} uses vertx-hazelcast configured by the system property
 *       {@code vertx.hazelcast.config} (the {@code weft} script sets it to
 *       {@code conf/cluster.xml} of the repository; without it, {@code ./conf/cluster.xml} when it
 *       exists), and the clustered event bus binds 127.0.0.1 unless {@code -cluster-host} or
 *       {@code -options} say otherwise;
 *   <li>SIGINT / SIGTERM undeploy the main verticle (the node closes in order: peers get LostPeer
 *       {@code SHUTDOWN}, the store is closed), close Vert.x and exit 0.
 * </ul>
 */
public final class WeftApplication extends VertxApplication implements VertxApplicationHooks {

  /** Launcher options taking a value (lower case: the launcher matches them case-insensitively). */
  private static final Set<String> WITH_VALUE = Set.of("-options", "--options", "-vertx-options",
      "--vertx-options", "-cluster-port", "--cluster-port", "-cluster-host", "--cluster-host",
      "-cluster-public-port", "--cluster-public-port", "-cluster-public-host", "--cluster-public-host",
      "-deployment-options", "--deployment-options", "-instances", "--instances", "-conf", "--conf");
  private static final Set<String> FLAGS = Set.of("-c", "-cluster", "--cluster", "-w", "-worker", "--worker");
  static final String HAZELCAST_CONFIG = "vertx.hazelcast.config";
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private final Map<String, String> options;
  private final boolean clustered;
  private volatile WeftNodeVerticle verticle;
  private volatile Vertx vertx;
  private volatile HookContext deployed;
  private volatile Throwable failure;

  private WeftApplication(String[] args, Map<String, String> options, boolean clustered) {
    super(args, null, false, false);
    this.options = options;
    this.clustered = clustered;
  }

  /** Same as {@code weft <launcher options>}: runs until SIGINT / SIGTERM, exits 0 after a clean close. */
  public static void main(String[] args) {
    WeftMain.main(args);
  }

  /**
   * Launches a node with the launcher's {@code args}, prints one line when it is up, waits for
   * {@code stop}, then undeploys it and closes Vert.x; returns the exit code.
   *
   * @throws UserError for anything the user can fix
   */
  static int run(List<String> args, Verb.Console console) throws Exception {
    WeftApplication app = prepare(args);
    StopSignal stop = console.stops().get();
    try {
      app.launchOrThrow();
      WeftNodeVerticle node = app.verticle;
      String http = node.httpUrl();
      console.out().println("node " + node.node().peerId().shortId() + " listening on " + node.node().address()
          + (http == null ? "" : ", status " + http + io.weft.status.StatusVerticle.PATH)
          + (app.clustered ? " (clustered)" : ""));
      console.out().flush();
      stop.await();
      return app.close(console) ? 0 : 1;
    } finally {
      app.close(null);
      stop.stopped();
    }
  }

  /** Checks the launcher arguments the stock launcher would take silently. */
  static WeftApplication prepare(List<String> args) {
    Map<String, String> options = new java.util.HashMap<>();
    boolean clustered = false;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-")) {
        positional.add(arg);
        continue;
      }
      String name = arg.toLowerCase(Locale.ROOT);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = arg.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (FLAGS.contains(name)) {
        clustered |= name.endsWith("c") || name.endsWith("cluster");
        continue;
      }
      if (!WITH_VALUE.contains(name)) {
        throw new UserError("unknown launcher option " + arg + " (see 'weft help')");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UserError("launcher option " + arg + " needs a value");
        }
        value = args.get(++i);
      }
      options.put(name.replaceFirst("^--", "-"), value);
    }
    if (!positional.isEmpty() && !(positional.size() == 1
        && positional.get(0).equals(WeftNodeVerticle.class.getName()))) {
      throw new UserError("unexpected argument '" + positional.get(0) + "': the main verticle is "
          + WeftNodeVerticle.class.getName());
    }
    String instances = options.get("-instances");
    if (instances != null && !instances.trim().equals("1")) {
      throw new UserError("-instances " + instances + " is not supported: a node has one network key,"
          + " so run one instance per config (another node needs its own config and key)");
    }
    String conf = options.get("-conf");
    if (conf == null) {
      throw new UserError("the launcher needs -conf FILE (the node's config, see conf/node.json)");
    }
    NodeConfig config = conf.trim().startsWith("{") ? NodeConfig.parse(json(conf, "-conf"), "-conf")
        : NodeConfig.read(Path.of(conf));
    checkFiles(config);
    for (String name : List.of("-options", "-deployment-options")) {
      String value = options.get(name);
      if (value != null) {
        json(value, name);
      }
    }
    if (clustered) {
      useClusterConfig(null);
    }
    List<String> launcherArgs = new ArrayList<>(args);
    launcherArgs.removeIf(a -> a.equals(WeftNodeVerticle.class.getName()));
    return new WeftApplication(launcherArgs.toArray(String[]::new), options, clustered);
  }

  /** A JSON object given inline or as a file, as the launcher reads it; a {@link UserError} if neither. */
  private static JsonObject json(String value, String option) {
    if (value.trim().startsWith("{")) {
      try {
        return new JsonObject(value);
      } catch (DecodeException e) {
        throw new UserError(option + " is not a valid JSON object: " + Failures.oneLine(e.getMessage()));
      }
    }
    Path file = Path.of(value);
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UserError(option + " " + file + ": " + (Files.exists(file) ? "cannot read it: " + e.getMessage()
          : "no such file"));
    } catch (DecodeException e) {
      throw new UserError(option + " " + file + " is not a valid JSON object: " + Failures.oneLine(e.getMessage()));
    }
  }

  /** Reads the key and genesis files the config names, so their problems are one line before anything starts. */
  static void checkFiles(NodeConfig config) {
    try {
      KeyFile.loadOrCreate(Path.of(config.node().getKeyFile()));
    } catch (Exception e) {
      UserError user = Failures.asUserError(e, "key file " + config.node().getKeyFile());
      throw user != null ? user : new UserError("key file " + config.node().getKeyFile() + ": "
          + Failures.oneLine(e.getMessage()), e);
    }
    String genesis = config.node().getGenesisFile();
    if (genesis != null) {
      try {
        GenesisFile.read(Path.of(genesis));
      } catch (IOException e) {
        throw new UserError(Failures.oneLine(e.getMessage()), e);
      }
    }
  }

  /**
   * Points vertx-hazelcast at its config: {@code explicit} when given, else the system property
   * {@value #HAZELCAST_CONFIG} when set (the {@code weft} script sets it), else
   * {@code conf/cluster.xml} in the current directory when it exists; else Hazelcast's own
   * {@code cluster.xml} / {@code default-cluster.xml} from the classpath.
   */
  static void useClusterConfig(Path explicit) {
    Path file = explicit;
    if (file == null) {
      String property = System.getProperty(HAZELCAST_CONFIG);
      if (property != null && !property.isBlank()) {
        if (property.startsWith("classpath:")) {
          return;
        }
        file = Path.of(property);
      } else if (Files.isRegularFile(Path.of("conf", "cluster.xml"))) {
        file = Path.of("conf", "cluster.xml");
      } else {
        return;
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new UserError("cluster config " + file + " does not exist (" + HAZELCAST_CONFIG
          + " or --cluster-xml names the Hazelcast XML)");
    }
    System.setProperty(HAZELCAST_CONFIG, file.toAbsolutePath().toString());
  }

  private void launchOrThrow() throws Exception {
    int code = launch();
    if (failure != null) {
      close(null);
      Throwable cause = Failures.unwrap(failure);
      if (Failures.isPortInUse(cause)) {
        throw new UserError("port in use: " + Failures.oneLine(cause.getMessage()), cause);
      }
      UserError user = Failures.asUserError(cause, null);
      if (user != null) {
        throw user;
      }
      if (deployed == null && vertx == null && clustered) {
        throw new UserError("cannot join the cluster: " + Failures.oneLine(String.valueOf(cause)), cause);
      }
      throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
    }
    if (code != 0 || deployed == null) {
      close(null);
      throw new UserError("the Vert.x launcher failed (exit code " + code + "); see the lines above");
    }
  }

  /** Undeploys the node, then closes Vert.x; false after one line on {@code console}'s stderr if that failed. */
  private boolean close(Verb.Console console) {
    Vertx v = vertx;
    vertx = null;
    if (v == null) {
      return true;
    }
    try {
      HookContext d = deployed;
      if (d != null && d.deploymentId() != null) {
        Await.result(v.undeploy(d.deploymentId()), CLOSE_TIMEOUT, "closing the node");
      }
      return true;
    } catch (Exception e) {
      if (console != null) {
        console.err().println("weft: " + Failures.oneLine(e.getMessage()));
      }
      return false;
    } finally {
      try {
        Await.result(v.close(), CLOSE_TIMEOUT, "closing Vert.x");
      } catch (Exception e) {
        if (console != null) {
          console.err().println("weft: " + Failures.oneLine(e.getMessage()));
        }
      }
    }
  }

  // ---- hooks ----

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      WeftNodeVerticle v = new WeftNodeVerticle();
      verticle = v;
      return v;
    };
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    EventBusOptions bus = context.vertxOptions().getEventBusOptions();
    if (clustered && bus.getHost() == null && !options.containsKey("-cluster-host")) {
      bus.setHost(Devnet.HOST);
    }
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    vertx = context.vertx();
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    throw reported(t == null ? new java.util.concurrent.TimeoutException("Vert.x did not start within 2 minutes") : t);
  }

  @Override
  public void beforeDeployingVerticle(HookContext context) {
    if (context.deploymentOptions().getInstances() > 1) {
      throw reported(new UserError("instances " + context.deploymentOptions().getInstances()
          + " is not supported: a node has one network key, so run one instance per config"));
    }
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    deployed = context;
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    throw reported(t == null ? new java.util.concurrent.TimeoutException("the node did not start within 2 minutes") : t);
  }

  /** Records the failure and leaves the launcher (which would otherwise log it with a stack trace). */
  private RuntimeException reported(Throwable t) {
    failure = t;
    return new Reported();
  }

  /** Thrown out of a hook so the launcher stops without logging; {@link #failure} says why. */
  private static final class Reported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Reported() {
      super("reported", null, false, false);
    }
  }
}
