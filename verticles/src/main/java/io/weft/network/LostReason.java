package io.weft.network;

/** Why a peer left the active set (the reference's four reasons). */
public enum LostReason {
  /** The connection closed or stopped answering keep-alive pings. */
  CONNECTION_LOST,
  /** This node is shutting down. */
  SHUTDOWN,
  /** Someone asked the connection manager to disconnect the peer. */
  REQUESTED_DISCONNECT,
  /** A second connection to an already active peer was dropped. */
  SIMULTANEOUS_DIAL_RESOLUTION
}
