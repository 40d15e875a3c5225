package io.weft.network;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.weft.bus.Mailboxes;
import io.weft.crypto.PeerId;

/**
 * How other verticles ask the connection manager for something: through its bounded mailbox,
 * never by calling it. A full mailbox fails the returned future at once. A dial that reached nobody
 * fails with {@link PeerUnreachableException}.
 */
public final class ConnectionManagerClient {

  /** The failure code of a connect reply when nobody answered at the address ({@link PeerUnreachableException}). */
  static final int UNREACHABLE = 504;

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions delivery;

  public ConnectionManagerClient(Vertx vertx, String namespace, NetworkOptions options) {
    this.vertx = vertx;
    this.address = NetworkAddresses.mailbox(namespace);
    // A dial may take the whole connect timeout; leave room for the reply.
    this.delivery = new DeliveryOptions().setSendTimeout(options.getConnectTimeoutMs() + 5_000);
  }

  /** Dials {@code address} (expecting {@code expected}, or any key when null); the peer's id. */
  public Future<PeerId> connect(String address, PeerId expected) {
    return ask(ConnectionRequest.connect(address, expected))
        .map(reply -> PeerId.fromHex(reply.getString("peerId")))
        .recover(e -> Future.failedFuture(e instanceof ReplyException r && r.failureCode() == UNREACHABLE
            ? new PeerUnreachableException(r.getMessage()) : e));
  }

  public Future<Void> disconnect(PeerId peer) {
    return ask(ConnectionRequest.disconnect(peer)).mapEmpty();
  }

  /** Disconnects {@code peer} and refuses it until {@code untilMs} (epoch milliseconds). */
  public Future<Void> deny(PeerId peer, long untilMs) {
    return ask(ConnectionRequest.deny(peer, untilMs)).mapEmpty();
  }

  public Future<Void> shutdown() {
    return ask(ConnectionRequest.shutdown()).mapEmpty();
  }

  private Future<JsonObject> ask(ConnectionRequest request) {
    return Mailboxes.<JsonObject>request(vertx, address, request.toJson(), delivery)
        .map(message -> message.body());
  }
}
