package io.weft.launcher;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.status.StatusOptions;
import io.weft.metrics.MetricsEndpoint;
import io.weft.status.StatusVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main verticle of a Weft node for the Vert.x application launcher:
 * {@code java -cp weft.jar io.vertx.launcher.application.VertxApplication
 * io.weft.launcher.WeftNodeVerticle -conf conf/node.json [-cluster] [-options vertx.json]}, or
 * {@link WeftApplication}, which adds one-line errors and exit code 0 on SIGTERM / SIGINT.
 *
 * <p>Its {@code config()} is the node's JSON config ({@link NodeOptions} plus an optional
 * {@code http} section, see {@link NodeConfig}). Start deploys the node ({@link WeftNode}:
 * network, discovery, sync when it has a chain) and then the status endpoint
 * ({@link StatusVerticle}); stop undeploys the status endpoint, then closes the node in its own
 * order (sync, discovery, network: peers get LostPeer {@code SHUTDOWN}; store closed). The node's
 * verticles are deployed from a context of their own, not as children of this verticle, so that
 * Vert.x does not undeploy them all at once before {@link #stop()} runs.
 *
 * <p>One node has one network key, so deploy one instance per Vert.x and config.
 */
public final class WeftNodeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WeftNodeVerticle.class);

  private volatile WeftNode node;
  private volatile StatusVerticle status;
  private volatile String statusDeployment;

  @Override
  public Future<?> start() {
    NodeConfig conf;
    try {
      conf = NodeConfig.parse(config(), "node config");
    } catch (UserError e) {
      return Future.failedFuture(e);
    }
    NodeOptions options = conf.node();
    ContextInternal detached = ((VertxInternal) vertx).createEventLoopContext();
    return Future.<WeftNode>future(p -> detached.runOnContext(v -> WeftNode.deploy(vertx, options).onComplete(p)))
        .recover(e -> Future.failedFuture(friendly(e, "cannot listen on " + options.getNetwork().getHost()
            + ":" + options.getNetwork().getPort() + " (network.port): port in use")))
        .compose(n -> {
          node = n;
          return deployStatus(n, conf.http());
        })
        .onSuccess(v -> LOG.info("node {} listening on {}{}", node.peerId().shortId(), node.address(),
            status == null ? "" : ", status " + status.baseUrl() + StatusVerticle.PATH
                + ", dashboard " + status.baseUrl() + "/, metrics " + status.baseUrl() + "/metrics"))
        .recover(e -> {
          Future<Void> undo = node == null ? Future.succeededFuture() : closeNode();
          return undo.transform(ar -> Future.failedFuture(e));
        });
  }

  private Future<Void> deployStatus(WeftNode n, StatusOptions http) {
    if (!http.isEnabled()) {
      return Future.succeededFuture();
    }
    StatusVerticle verticle = new StatusVerticle(n.namespace(), n.peerId(), n.address(), http)
        .metrics(MetricsEndpoint.of(n.metrics()))
        .rtt(id -> io.weft.sync.PeerRtts.in(vertx, n.namespace()).get(id));
    return vertx.deployVerticle(verticle)
        .recover(e -> Future.failedFuture(friendly(e, "cannot listen on " + http.getHost() + ":"
            + http.getPort() + " (http.port): port in use")))
        .map(id -> {
          status = verticle;
          statusDeployment = id;
          return null;
        });
  }

  private static Throwable friendly(Throwable e, String portInUse) {
    if (Failures.isPortInUse(e)) {
      return new UserError(portInUse, e);
    }
    UserError user = Failures.asUserError(e, null);
    return user != null ? user : e;
  }

  @Override
  public Future<?> stop() {
    return closeNode();
  }

  private Future<Void> closeNode() {
    String id = statusDeployment;
    statusDeployment = null;
    Future<Void> statusGone = id == null ? Future.succeededFuture()
        : vertx.undeploy(id).otherwiseEmpty();
    WeftNode n = node;
    return n == null ? statusGone : statusGone.eventually(n::close);
  }

  /** The node, once started; null before. */
  public WeftNode node() {
    return node;
  }

  /** {@code http://127.0.0.1:port} of the status endpoint; null before start or when disabled. */
  public String httpUrl() {
    StatusVerticle s = status;
    return s == null ? null : s.baseUrl();
  }
}
