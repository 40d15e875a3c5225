package io.weft.network;

/**
 * Event-bus addresses of the connection manager. Every name is prefixed with the node's
 * namespace ({@code weft.<peer id hex>}), so two nodes in one Vert.x instance never share one.
 */
public final class NetworkAddresses {

  private NetworkAddresses() {
  }

  /** Point-to-point, bounded: {@link ConnectionRequest} in, JSON reply out. */
  public static String mailbox(String namespace) {
    return namespace + ".network.mailbox";
  }

  /** Publish: {@link PeerEvent} (NewPeer / LostPeer) as JSON. */
  public static String peerEvents(String namespace) {
    return namespace + ".network.peer-events";
  }
}
