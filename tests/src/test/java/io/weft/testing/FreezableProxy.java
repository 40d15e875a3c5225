package io.weft.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a node that can be frozen: it stops moving bytes without closing
 * anything, like a peer whose machine hung or a network path that went silent.
 */
public final class FreezableProxy {

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private NetServer server;
  private NetClient client;

  public FreezableProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** Listens on 127.0.0.1 and an ephemeral port; completes with "127.0.0.1:port". */
  public Future<String> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      client.connect(targetPort, targetHost).onSuccess(outbound -> {
        sockets.add(inbound);
        sockets.add(outbound);
        inbound.handler(outbound::write);
        outbound.handler(inbound::write);
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
        inbound.resume();
      }).onFailure(e -> inbound.close());
    });
    return server.listen(0, "127.0.0.1").map(s -> "127.0.0.1:" + s.actualPort());
  }

  /** Stops relaying in both directions; nothing is closed. */
  public void freeze() {
    sockets.forEach(NetSocket::pause);
  }

  public Future<Void> close() {
    return server.close().eventually(() -> client.close());
  }
}
