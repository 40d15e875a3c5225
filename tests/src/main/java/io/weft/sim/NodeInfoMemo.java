package io.weft.sim;

import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException;
import io.weft.discovery.SignedNodeInfos;
import io.weft.discovery.VerifiedNodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link SignedNodeInfos#verify} results shared by every simulated node, keyed by the signed
 * info's exact contents (its info bytes and signature: protobuf equality of two bytes fields).
 * The same bytes always give the same result, so this changes no outcome; it only spares ten
 * thousand nodes from checking the same signature ten thousand times. Forged infos fail on their
 * first (real) check and that failure is what is remembered. Single-threaded; starts over when
 * full.
 */
final class NodeInfoMemo {

  private final int maxEntries;
  private final Map<SignedNodeInfo, Object> results = new HashMap<>();
  /**
   * One {@link PeerId} instance per signer (the simulated nodes' own first), so every table entry
   * of a peer, whichever info version it came from, has the same key object: a hash-map look-up
   * then matches by reference instead of comparing key bytes (equality is unchanged). Kept when
   * the results start over; at most {@code maxEntries} signers.
   */
  private final Map<PeerId, PeerId> canonical = new HashMap<>();
  private long checks;
  private long hits;

  NodeInfoMemo(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  VerifiedNodeInfo verify(SignedNodeInfo signed) throws InvalidNodeInfoException {
    Object result = results.get(signed);
    if (result == null) {
      checks++;
      try {
        result = withCanonicalId(SignedNodeInfos.verify(signed));
      } catch (InvalidNodeInfoException e) {
        result = e;
      }
      if (results.size() >= maxEntries) {
        results.clear();
      }
      results.put(signed, result);
    } else {
      hits++;
    }
    if (result instanceof InvalidNodeInfoException e) {
      throw new InvalidNodeInfoException(e.reason(), e.getMessage());
    }
    return (VerifiedNodeInfo) result;
  }

  /** Makes {@code id} the instance verified infos of its signer carry (first come, first kept). */
  PeerId canonical(PeerId id) {
    PeerId kept = canonical.get(id);
    if (kept == null && canonical.size() < maxEntries) {
      canonical.put(id, id);
      kept = id;
    }
    return kept == null ? id : kept;
  }

  private VerifiedNodeInfo withCanonicalId(VerifiedNodeInfo verified) {
    PeerId id = canonical(verified.peerId());
    return id == verified.peerId() ? verified : new VerifiedNodeInfo(id, verified.info(), verified.signed());
  }

  long checks() {
    return checks;
  }

  long hits() {
    return hits;
  }
}
