package io.weft.testing;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.SignedNodeInfos;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.List;

/**
 * Signed node infos, honest and crafted, for discovery attacks: the adversarial suite and the
 * network simulator's byzantine nodes (which pass virtual timestamps) use the same crafting.
 */
public final class CraftedInfos {

  private CraftedInfos() {
  }

  public static NodeInfo info(PeerId peer, List<String> addresses, long timestampMs) {
    return NodeInfo.newBuilder().setPeerId(ByteString.copyFrom(peer.toBytes()))
        .addAllAddresses(addresses).setTimestampMs(timestampMs).build();
  }

  /** A correctly signed info of {@code key}. */
  public static SignedNodeInfo signed(NetworkKey key, List<String> addresses, long timestampMs) {
    return SignedNodeInfos.sign(key, info(key.peerId(), addresses, timestampMs));
  }

  /** A correctly signed info of {@code key}, one address, now. */
  public static SignedNodeInfo honest(NetworkKey key, String address) {
    return signed(key, List.of(address), System.currentTimeMillis());
  }

  /** {@code key}'s valid info with one bit of the signature flipped. */
  public static SignedNodeInfo forged(NetworkKey key, String address) {
    return forged(key, address, System.currentTimeMillis());
  }

  /** {@code key}'s valid info signed at {@code timestampMs} with one bit of the signature flipped. */
  public static SignedNodeInfo forged(NetworkKey key, String address, long timestampMs) {
    SignedNodeInfo good = signed(key, List.of(address), timestampMs);
    byte[] signature = good.getSignature().toByteArray();
    signature[7] ^= 1;
    return good.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
  }

  /** An info claiming to be {@code claimed}, signed (validly, over the exact bytes) by {@code signer}. */
  public static SignedNodeInfo signedByAnother(PeerId claimed, NetworkKey signer, String address) {
    return signedByAnother(claimed, signer, address, System.currentTimeMillis());
  }

  /** As {@link #signedByAnother(PeerId, NetworkKey, String)}, stamped {@code timestampMs}. */
  public static SignedNodeInfo signedByAnother(PeerId claimed, NetworkKey signer, String address, long timestampMs) {
    ByteString bytes = info(claimed, List.of(address), timestampMs).toByteString();
    byte[] message = new byte[SignedNodeInfos.DOMAIN.length + bytes.size()];
    System.arraycopy(SignedNodeInfos.DOMAIN, 0, message, 0, SignedNodeInfos.DOMAIN.length);
    bytes.copyTo(message, SignedNodeInfos.DOMAIN.length);
    return SignedNodeInfo.newBuilder().setInfo(bytes).setSignature(ByteString.copyFrom(signer.sign(message))).build();
  }

  /** An "info" whose bytes are not a NodeInfo at all. */
  public static SignedNodeInfo garbage() {
    return SignedNodeInfo.newBuilder().setInfo(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}))
        .setSignature(ByteString.copyFrom(new byte[64])).build();
  }
}
