package io.weft.discovery;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.security.SecureRandom;
import java.util.List;

/** Crafted signed node infos for discovery tests, with real Ed25519 keys. */
final class Infos {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Infos() {
  }

  static NodeInfo nodeInfo(PeerId peer, long timestampMs, boolean privateAccess, List<String> addresses) {
    return NodeInfo.newBuilder()
        .setPeerId(ByteString.copyFrom(peer.toBytes()))
        .addAllAddresses(addresses)
        .setTimestampMs(timestampMs)
        .setPrivateAccess(privateAccess)
        .build();
  }

  /** A valid public info of {@code key} with one address. */
  static SignedNodeInfo signed(NetworkKey key, long timestampMs) {
    return signed(key, timestampMs, false, addressOf(key));
  }

  static SignedNodeInfo signed(NetworkKey key, long timestampMs, boolean privateAccess, String... addresses) {
    return SignedNodeInfos.sign(key, nodeInfo(key.peerId(), timestampMs, privateAccess, List.of(addresses)));
  }

  /** An info claiming to be {@code claimed}'s but signed with {@code signer}'s key. */
  static SignedNodeInfo signedByOther(PeerId claimed, NetworkKey signer, long timestampMs) {
    ByteString bytes = nodeInfo(claimed, timestampMs, false, List.of("10.9.9.9:7000")).toByteString();
    byte[] message = new byte[SignedNodeInfos.DOMAIN.length + bytes.size()];
    System.arraycopy(SignedNodeInfos.DOMAIN, 0, message, 0, SignedNodeInfos.DOMAIN.length);
    bytes.copyTo(message, SignedNodeInfos.DOMAIN.length);
    return SignedNodeInfo.newBuilder()
        .setInfo(bytes)
        .setSignature(ByteString.copyFrom(signer.sign(message)))
        .build();
  }

  /** {@code valid} with one bit of its signature flipped. */
  static SignedNodeInfo forged(SignedNodeInfo valid) {
    byte[] signature = valid.getSignature().toByteArray();
    signature[7] ^= 0x01;
    return valid.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
  }

  /** A deterministic, distinct address per key. */
  static String addressOf(NetworkKey key) {
    return "peer-" + key.peerId().shortId() + ":7000";
  }

  /** A random peer id (no key needed when the peer only shows up as connected). */
  static PeerId randomPeerId() {
    byte[] bytes = new byte[PeerId.LENGTH];
    RANDOM.nextBytes(bytes);
    return PeerId.of(bytes);
  }

  /** Stores {@code key}'s info directly, bypassing the loop's checks. */
  static KnownPeer known(NetworkKey key, long timestampMs, boolean privateAccess, String... addresses) {
    SignedNodeInfo signed = signed(key, timestampMs, privateAccess, addresses);
    return new KnownPeer(key.peerId(), signed, timestampMs, List.of(addresses), privateAccess);
  }
}
