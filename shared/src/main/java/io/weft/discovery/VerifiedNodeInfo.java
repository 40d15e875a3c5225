package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.List;

/**
 * A node info whose signature checked out (see {@link SignedNodeInfos#verify}): {@code info}
 * is parsed from exactly the bytes in {@code signed}, and {@code peerId} signed them.
 * Timestamps have not been checked.
 *
 * @param peerId the signer, equal to {@code info.getPeerId()}
 * @param info the parsed info
 * @param signed the original signed message, to forward unchanged
 */
public record VerifiedNodeInfo(PeerId peerId, NodeInfo info, SignedNodeInfo signed) {

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
}
