package io.weft.launcher;

import io.weft.node.NodeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code weft start --conf FILE [--cluster [--cluster-xml FILE]] [--options FILE]}: runs one node
 * through the Vert.x application launcher ({@link WeftApplication} with {@link WeftNodeVerticle}),
 * exactly as {@code weft -conf FILE [-cluster] [-options FILE]} would, until SIGINT / SIGTERM;
 * then the node closes (peers get LostPeer, store closed) and the command exits 0.
 */
final class StartVerb implements Verb {

  @Override
  public String name() {
    return "start";
  }

  @Override
  public String usage() {
    return "  start --conf FILE [--cluster [--cluster-xml FILE]] [--options FILE]\n"
        + "                         run one node configured by FILE (see conf/node.json; its \"http\"\n"
        + "                         section is the status endpoint) until Ctrl-C or SIGTERM; creates the\n"
        + "                         key file on first start. --cluster joins a Vert.x cluster (Hazelcast,\n"
        + "                         conf/cluster.xml; event bus on 127.0.0.1), --options takes Vert.x\n"
        + "                         options (JSON file). Same as: weft -conf FILE [-cluster] [-options FILE]\n"
        + "                         (any Vert.x launcher option; -instances > 1 is refused)";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args parsed = Args.parse(name(), args, Set.of("conf", "options", "cluster-xml"), Set.of("cluster"));
    String conf = parsed.required("conf");
    List<String> launcher = new ArrayList<>(List.of("-conf", conf));
    if (parsed.flag("cluster")) {
      String xml = parsed.get("cluster-xml", null);
      WeftApplication.useClusterConfig(xml == null ? null : Path.of(xml));
      launcher.add("-cluster");
    } else if (parsed.get("cluster-xml", null) != null) {
      throw new UserError("--cluster-xml needs --cluster");
    }
    String options = parsed.get("options", null);
    if (options != null) {
      launcher.addAll(List.of("-options", options));
    }
    return WeftApplication.run(launcher, console);
  }

  /** Reads and validates a node config; every problem is one {@link UserError} line. */
  static NodeOptions readConfig(Path file) {
    return NodeConfig.read(file).node();
  }
}
