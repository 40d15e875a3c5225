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

  /**
   * Point-to-point, bounded ({@link #RANGE_WANTED_CAPACITY}): sync's stall watchdog asks for peers
   * serving a commit, JSON {@code {"index": n, "failing": [peer id hex, ...]}}. Sent without
   * waiting; when full the request is dropped and counted (the watchdog asks again next stall).
   */
  public static String rangeWanted(String namespace) {
    return namespace + ".discovery.range-wanted";
  }

  /** Capacity of the {@link #rangeWanted} mailbox. */
  public static final int RANGE_WANTED_CAPACITY = 16;
}
