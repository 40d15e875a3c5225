package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.proto.SignedNodeInfo;
import java.util.List;
import java.util.Objects;

/**
 * A peer we know of through discovery, with the signed info it was learnt from. Immutable.
 *
 * @param peerId the peer's identity
 * @param signed the signed node info as received (the exact signed bytes and signature)
 * @param timestampMs when the info was signed, milliseconds since the epoch; newer replaces older
 * @param addresses where the peer listens, host:port (an immutable copy; null means none)
 * @param privateAccess whether the peer asked not to be dialled or advertised by others
 * @param dataRange the commits the peer says it serves, or null when it does not say
 */
public record KnownPeer(PeerId peerId, SignedNodeInfo signed, long timestampMs,
    List<String> addresses, boolean privateAccess, CommitRange dataRange) {

  /** A peer whose info carries no data range. */
  public KnownPeer(PeerId peerId, SignedNodeInfo signed, long timestampMs, List<String> addresses,
      boolean privateAccess) {
    this(peerId, signed, timestampMs, addresses, privateAccess, null);
  }

  /** Whether the peer says it serves commit {@code index}. */
  public boolean serves(long index) {
    return dataRange != null && dataRange.covers(index);
  }

  /** Checks that {@code peerId} and {@code signed} are present and copies the addresses. */
  public KnownPeer {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(signed, "signed");
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }
}
