package io.weft.network;

import io.vertx.core.json.JsonObject;
import io.weft.crypto.PeerId;

/**
 * A change of the active peer set, published on {@link NetworkAddresses#peerEvents}. Travels as
 * JSON, so subscribers in other JVMs of a cluster read it too.
 *
 * @param address the peer's dialled address (NewPeer only)
 * @param reason why the peer was lost (LostPeer only)
 */
public record PeerEvent(Type type, PeerId peerId, String address, LostReason reason) {

  /** The two kinds of event. */
  public enum Type { NEW_PEER, LOST_PEER }

  public static PeerEvent newPeer(PeerId peerId, String address) {
    return new PeerEvent(Type.NEW_PEER, peerId, address, null);
  }

  public static PeerEvent lostPeer(PeerId peerId, LostReason reason) {
    return new PeerEvent(Type.LOST_PEER, peerId, null, reason);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.name()).put("peerId", peerId.toHex());
    if (address != null) {
      json.put("address", address);
    }
    if (reason != null) {
      json.put("reason", reason.name());
    }
    return json;
  }

  /** @throws IllegalArgumentException on a malformed event */
  public static PeerEvent fromJson(JsonObject json) {
    Type type = Type.valueOf(json.getString("type"));
    PeerId peer = PeerId.fromHex(json.getString("peerId"));
    String reason = json.getString("reason");
    return new PeerEvent(type, peer, json.getString("address"),
        reason == null ? null : LostReason.valueOf(reason));
  }
}
