package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.List;
import java.util.Objects;

/**
 * A node info whose signature checked out (see {@link SignedNodeInfos#verify}): {@code info}
 * is parsed from exactly the bytes in {@code signed}, and {@code peerId} signed them.
 * Timestamps have not been checked. Immutable; equal when peer id, info and signed message are.
 * It carries the {@link KnownPeer} entry it becomes, built once: every table that stores this
 * verified info shares that one immutable entry.
 */
public final class VerifiedNodeInfo {

  private final PeerId peerId;
  private final NodeInfo info;
  private final SignedNodeInfo signed;
  private final KnownPeer knownPeer;

  /**
   * @param peerId the signer, equal to {@code info.getPeerId()}
   * @param info the parsed info
   * @param signed the original signed message, to forward unchanged
   */
  public VerifiedNodeInfo(PeerId peerId, NodeInfo info, SignedNodeInfo signed) {
    this.peerId = Objects.requireNonNull(peerId, "peerId");
    this.info = Objects.requireNonNull(info, "info");
    this.signed = Objects.requireNonNull(signed, "signed");
    this.knownPeer = new KnownPeer(peerId, signed, timestampMs(), addresses(), privateAccess(), dataRange());
  }

  /** The signer. */
  public PeerId peerId() {
    return peerId;
  }

  /** The parsed info. */
  public NodeInfo info() {
    return info;
  }

  /** The original signed message, to forward unchanged. */
  public SignedNodeInfo signed() {
    return signed;
  }

  /** The entry a discovery table stores for this info (one shared immutable instance). */
  public KnownPeer knownPeer() {
    return knownPeer;
  }

  /** When the node signed the info, in milliseconds since the Unix epoch. */
  public long timestampMs() {
    return info.getTimestampMs();
  }

  /** Where the node listens, as host:port strings (immutable). */
  public List<String> addresses() {
    return List.copyOf(info.getAddressesList());
  }

  /** Whether the node is private: neither dialled nor advertised unless allow-listed. */
  public boolean privateAccess() {
    return info.getPrivateAccess();
  }

  /** The commits the node serves, or null when it does not say (checked well-formed by verify). */
  public CommitRange dataRange() {
    if (!info.hasDataRange()) {
      return null;
    }
    return new CommitRange(info.getDataRange().getLowestAvailableCommit(),
        info.getDataRange().getHighestSyncedCommit());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedNodeInfo other && peerId.equals(other.peerId) && info.equals(other.info)
        && signed.equals(other.signed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(peerId, info, signed);
  }

  @Override
  public String toString() {
    return "VerifiedNodeInfo[peerId=" + peerId + ", info=" + info + ", signed=" + signed + "]";
  }
}
