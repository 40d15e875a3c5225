package io.weft.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.nio.charset.StandardCharsets;

/**
 * Signs and verifies {@link SignedNodeInfo}s. The Ed25519 signature covers
 * {@link #DOMAIN} {@code ||} {@code info}, where {@code info} is exactly the bytes carried in
 * {@link SignedNodeInfo#getInfo()}: a receiver verifies what it received and never re-encodes.
 */
public final class SignedNodeInfos {

  /**
   * The domain separation prefix, {@code "weft-node-info-v1"} in ASCII. Do not modify this
   * array: signing and verification use a private copy, so changing it only breaks callers
   * that read it.
   */
  public static final byte[] DOMAIN = "weft-node-info-v1".getBytes(StandardCharsets.US_ASCII);

  /** Most addresses a node info may list. */
  public static final int MAX_ADDRESSES = 10;
  /** Longest address, in UTF-8 bytes. */
  public static final int MAX_ADDRESS_BYTES = 1024;

  private static final byte[] DOMAIN_BYTES = DOMAIN.clone();
  private static final int SIGNATURE_LENGTH = 64;

  private SignedNodeInfos() {
  }

  /**
   * Serializes {@code info} once and signs those bytes.
   *
   * @throws IllegalArgumentException if {@code info}'s peer id is not {@code key}'s
   */
  public static SignedNodeInfo sign(NetworkKey key, NodeInfo info) {
    byte[] own = key.publicKey();
    if (!info.getPeerId().equals(ByteString.copyFrom(own))) {
      throw new IllegalArgumentException("node info is for peer " + describe(info.getPeerId())
          + " but the key is " + key.peerId().shortId());
    }
    ByteString bytes = info.toByteString();
    byte[] signature = key.sign(signedMessage(bytes));
    return SignedNodeInfo.newBuilder()
        .setInfo(bytes)
        .setSignature(ByteString.copyFrom(signature))
        .build();
  }

  /**
   * Parses and checks a signed node info: well-formed, validly signed by the key its peer id
   * names, at most {@link #MAX_ADDRESSES} addresses of at most {@link #MAX_ADDRESS_BYTES}
   * bytes each, a data range (if any) with lowest <= highest. Timestamps are not checked here.
   *
   * @throws InvalidNodeInfoException with the {@link Reason} of the first failing check
   */
  public static VerifiedNodeInfo verify(SignedNodeInfo signed) throws InvalidNodeInfoException {
    if (signed == null || signed.getInfo().isEmpty()) {
      throw new InvalidNodeInfoException(Reason.MALFORMED, "signed node info carries no info");
    }
    NodeInfo info;
    try {
      info = NodeInfo.parseFrom(signed.getInfo());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidNodeInfoException(Reason.MALFORMED,
          "node info does not parse: " + e.getMessage(), e);
    }
    ByteString peerIdBytes = info.getPeerId();
    if (peerIdBytes.size() != PeerId.LENGTH) {
      throw new InvalidNodeInfoException(Reason.MALFORMED, "node info peer id is "
          + peerIdBytes.size() + " bytes instead of " + PeerId.LENGTH);
    }
    PeerId peerId = PeerId.of(peerIdBytes.toByteArray());
    ByteString signature = signed.getSignature();
    if (signature.size() != SIGNATURE_LENGTH) {
      throw new InvalidNodeInfoException(Reason.BAD_SIGNATURE, "node info of peer "
          + peerId.shortId() + " has a signature of " + signature.size() + " bytes instead of "
          + SIGNATURE_LENGTH);
    }
    if (!NetworkKey.verify(peerId.toBytes(), signedMessage(signed.getInfo()),
        signature.toByteArray())) {
      throw new InvalidNodeInfoException(Reason.BAD_SIGNATURE, "node info claiming peer "
          + peerId.shortId() + " is not signed by that peer's key");
    }
    int count = info.getAddressesCount();
    if (count > MAX_ADDRESSES) {
      throw new InvalidNodeInfoException(Reason.TOO_MANY_ADDRESSES, "node info of peer "
          + peerId.shortId() + " lists " + count + " addresses, at most " + MAX_ADDRESSES
          + " are allowed");
    }
    for (int i = 0; i < count; i++) {
      int length = info.getAddressesBytes(i).size();
      if (length > MAX_ADDRESS_BYTES) {
        throw new InvalidNodeInfoException(Reason.ADDRESS_TOO_LONG, "node info of peer "
            + peerId.shortId() + " has an address of " + length + " bytes, at most "
            + MAX_ADDRESS_BYTES + " are allowed");
      }
    }
    if (info.hasDataRange()) {
      long lowest = info.getDataRange().getLowestAvailableCommit();
      long highest = info.getDataRange().getHighestSyncedCommit();
      // uint64 on the wire: a value above Long.MAX_VALUE reads as negative here
      if (lowest < 0 || highest < 0 || lowest > highest) {
        throw new InvalidNodeInfoException(Reason.MALFORMED, "node info of peer " + peerId.shortId()
            + " claims the commit range " + Long.toUnsignedString(lowest) + ".." + Long.toUnsignedString(highest));
      }
    }
    return new VerifiedNodeInfo(peerId, info, signed);
  }

  private static byte[] signedMessage(ByteString info) {
    byte[] message = new byte[DOMAIN_BYTES.length + info.size()];
    System.arraycopy(DOMAIN_BYTES, 0, message, 0, DOMAIN_BYTES.length);
    info.copyTo(message, DOMAIN_BYTES.length);
    return message;
  }

  private static String describe(ByteString peerId) {
    return peerId.size() == PeerId.LENGTH ? PeerId.of(peerId.toByteArray()).shortId()
        : "<" + peerId.size() + " bytes>";
  }
}
