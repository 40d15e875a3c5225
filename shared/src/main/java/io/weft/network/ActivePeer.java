package io.weft.network;

import io.weft.crypto.PeerId;
import java.util.Objects;

/**
 * A peer we hold a live connection to.
 *
 * @param peerId the peer's identity
 * @param address the address (host:port) the connection goes to
 * @param connectedSinceMs when the connection was established, milliseconds since the epoch
 * @param channel an opaque handle the network layer stores (its client for this peer). It is
 *     read by any verticle or worker, so it must be thread-safe. {@link ActivePeers#removeIf}
 *     compares it by identity.
 */
public record ActivePeer(PeerId peerId, String address, long connectedSinceMs, Object channel) {

  /** Checks that {@code peerId} and {@code address} are present. */
  public ActivePeer {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(address, "address");
  }
}
