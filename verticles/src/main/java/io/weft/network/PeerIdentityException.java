package io.weft.network;

/** A dialled peer is not who the dialer expected, or proved no identity at all. */
public final class PeerIdentityException extends RuntimeException {

  public PeerIdentityException(String message) {
    super(message, null, false, false);
  }
}
