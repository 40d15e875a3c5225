package io.weft.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Clustered Vert.x from {@code conf/cluster.xml} (Hazelcast, TCP join on 127.0.0.1). No test
 * dependency: it can move to main code as is (the launcher's {@code --cluster}).
 *
 * <pre>
 * Config config = ClusterManagers.load(Path.of("conf/cluster.xml"));
 * Vertx vertx = ClusterManagers.clusteredVertx(config, "127.0.0.1").await();
 * </pre>
 *
 * <p>Tests isolate each run with {@link #isolate}: a cluster name of their own and an explicit
 * port and member list, so that concurrent or earlier runs (other worktrees, a devnet on 5701)
 * never join them.
 */
public final class ClusterManagers {

  /** System property naming the cluster config file (the tests' surefire sets it to conf/cluster.xml). */
  public static final String CONFIG_PROPERTY = "weft.cluster.config";
  /** The default cluster host: one machine. */
  public static final String LOOPBACK = "127.0.0.1";

  private ClusterManagers() {
  }

  /** Reads a Hazelcast XML config (system properties in {@code ${...}} are substituted). */
  public static Config load(Path xml) {
    try {
      return Config.loadFromFile(xml.toFile());
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("no cluster config at " + xml.toAbsolutePath(), e);
    }
  }

  /**
   * The repository's {@code conf/cluster.xml}: the file named by {@value #CONFIG_PROPERTY}, else
   * {@code conf/cluster.xml} in the working directory or one of its parents.
   */
  public static Path defaultConfigFile() {
    String property = System.getProperty(CONFIG_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("conf").resolve("cluster.xml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("conf/cluster.xml not found (set -D" + CONFIG_PROPERTY + ")");
  }

  /**
   * Makes {@code config} a private cluster: named {@code clusterName}, this member on
   * {@code port} (or the next free of the 20 after it), joining only {@code members}
   * ({@code host:port}; this member's own address may be among them), on {@code host} only.
   */
  public static Config isolate(Config config, String clusterName, String host, int port, List<String> members) {
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + port);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true).setPortCount(20);
    network.setPublicAddress(host);
    network.getInterfaces().setEnabled(true).clear().addInterface(host);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(members));
    config.setProperty("hazelcast.socket.bind.any", "false");
    return config;
  }

  /** Vert.x options whose clustered event bus listens and advertises on {@code host}. */
  public static VertxOptions vertxOptions(String host) {
    return new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(host).setPort(0).setClusterPublicHost(host));
  }

  /** Starts a clustered Vert.x that joins the Hazelcast cluster of {@code config}. */
  public static Future<Vertx> clusteredVertx(Config config, String host) {
    return clusteredVertx(new HazelcastClusterManager(config), host);
  }

  /** Same, with a cluster manager the caller keeps (e.g. to watch membership). */
  public static Future<Vertx> clusteredVertx(HazelcastClusterManager manager, String host) {
    return Vertx.builder().with(vertxOptions(host)).withClusterManager(manager).buildClustered();
  }

  /** The port this member's Hazelcast listens on (after auto-increment). */
  public static int hazelcastPort(HazelcastClusterManager manager) {
    return manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
  }
}
