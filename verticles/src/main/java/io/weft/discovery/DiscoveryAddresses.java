package io.weft.discovery;

/** Event-bus addresses of discovery, prefixed with the node's namespace. */
public final class DiscoveryAddresses {

  private DiscoveryAddresses() {
  }

  /**
   * Point-to-point, bounded ({@code discovery.mailboxCapacity}): connect-back infos from the
   * GetKnownPeers handler, JSON {@code {"caller": hex, "info": base64 SignedNodeInfo}}. Sent
   * without waiting; when full the info is dropped and counted.
   */
  public static String mailbox(String namespace) {
    return namespace + ".discovery.mailbox";
  }
}
