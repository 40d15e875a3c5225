package io.weft.network;

import io.vertx.core.json.JsonObject;
import io.weft.crypto.PeerId;

/**
 * A message for the connection manager's mailbox. JSON on the bus:
 * {@code {"op":"connect","address":"host:port","peerId":"<hex, optional>"}},
 * {@code {"op":"disconnect","peerId":"<hex>"}}, {@code {"op":"deny","peerId":"<hex>","untilMs":t}},
 * {@code {"op":"shutdown"}}.
 */
public record ConnectionRequest(Op op, String address, PeerId peerId, long untilMs) {

  /** What is asked. */
  public enum Op { CONNECT, DISCONNECT, DENY, SHUTDOWN }

  /** Dial {@code address}; {@code expected} may be null (a seed given by address only). */
  public static ConnectionRequest connect(String address, PeerId expected) {
    return new ConnectionRequest(Op.CONNECT, address, expected, 0);
  }

  public static ConnectionRequest disconnect(PeerId peer) {
    return new ConnectionRequest(Op.DISCONNECT, null, peer, 0);
  }

  /** Disconnect {@code peer} and refuse it (dials and inbound) until {@code untilMs}. */
  public static ConnectionRequest deny(PeerId peer, long untilMs) {
    return new ConnectionRequest(Op.DENY, null, peer, untilMs);
  }

  public static ConnectionRequest shutdown() {
    return new ConnectionRequest(Op.SHUTDOWN, null, null, 0);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("op", op.name().toLowerCase());
    if (address != null) {
      json.put("address", address);
    }
    if (peerId != null) {
      json.put("peerId", peerId.toHex());
    }
    if (untilMs > 0) {
      json.put("untilMs", untilMs);
    }
    return json;
  }

  /** @throws IllegalArgumentException on a malformed request */
  public static ConnectionRequest fromJson(JsonObject json) {
    String op = json.getString("op");
    if (op == null) {
      throw new IllegalArgumentException("connection request without op");
    }
    String peer = json.getString("peerId");
    return new ConnectionRequest(Op.valueOf(op.toUpperCase()), json.getString("address"),
        peer == null ? null : PeerId.fromHex(peer), json.getLong("untilMs", 0L));
  }
}
