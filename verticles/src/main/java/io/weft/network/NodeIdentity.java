package io.weft.network;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;

/**
 * Who this node is: its network key and the self-signed certificate made from it at start.
 * {@link #namespace()} prefixes every event-bus address and shared-map name of the node.
 */
public record NodeIdentity(NetworkKey key, NodeCertificate certificate) {

  /** Makes the certificate (a signature: run it off the event loop). */
  public static NodeIdentity of(NetworkKey key) {
    return new NodeIdentity(key, NodeCertificate.create(key));
  }

  public PeerId peerId() {
    return key.peerId();
  }

  /** {@code weft.<peer id hex>}: the prefix of this node's addresses and shared maps. */
  public String namespace() {
    return "weft." + key.peerId().toHex();
  }
}
