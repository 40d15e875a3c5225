package io.weft.network;

/**
 * A dial found nobody at the address: no connection within the connect timeout (refused, or no
 * answer). Not our own refusals (denied, connection limit, shutting down) nor an identity mismatch:
 * only this says the peer may be gone, so discovery counts only this towards forgetting a peer.
 */
public final class PeerUnreachableException extends RuntimeException {

  public PeerUnreachableException(String message) {
    super(message, null, false, false);
  }
}
