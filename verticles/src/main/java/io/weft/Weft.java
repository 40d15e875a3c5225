package io.weft;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.crypto.NetworkKey;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.chain.Genesis;

/**
 * The embedding entry point: deploys a Weft node into your {@link Vertx}. The node runs on its
 * own event loops next to your verticles, namespaces everything it creates by its peer id
 * (event-bus addresses, shared maps), and removes it all on {@link WeftNode#close()}.
 *
 * <pre>{@code
 * Weft.deploy(vertx, new NodeOptions(config)).onSuccess(node -> {
 *   node.follow(1, subDag -> execute(subDag));      // every committed sub-DAG, in order
 *   node.submit(SubDagMessage.of(myCommit));         // from your consensus
 *   node.peers(); node.syncStatus().highestSynced(); // state
 *   node.close();                                    // when done
 * });
 * }</pre>
 */
public final class Weft {

  private Weft() {
  }

  /** Deploys a node configured by {@code options} (its key file is read, or created). */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options) {
    return WeftNode.deploy(vertx, options);
  }

  /** Deploys a node with the given network key, syncing the chain that starts at {@code genesis}. */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options, NetworkKey key, Genesis genesis) {
    return WeftNode.deploy(vertx, options, key, genesis);
  }
}
