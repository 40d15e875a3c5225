package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.Collections;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SignedNodeInfosTest {

  private final NetworkKey key = NetworkKey.generate();

  private NodeInfo.Builder info(NetworkKey k) {
    return NodeInfo.newBuilder()
        .setPeerId(ByteString.copyFrom(k.publicKey()))
        .addAddresses("127.0.0.1:4000")
        .addAddresses("[::1]:4000")
        .setTimestampMs(1_700_000_000_000L)
        .setPrivateAccess(true);
  }

  @Test
  void roundTrip() throws Exception {
    NodeInfo info = info(key).build();
    SignedNodeInfo signed = SignedNodeInfos.sign(key, info);
    VerifiedNodeInfo verified = SignedNodeInfos.verify(signed);
    assertThat(verified.peerId()).isEqualTo(key.peerId());
    assertThat(verified.info()).isEqualTo(info);
    assertThat(verified.signed()).isSameAs(signed);
    assertThat(verified.addresses()).containsExactly("127.0.0.1:4000", "[::1]:4000");
    assertThat(verified.timestampMs()).isEqualTo(1_700_000_000_000L);
    assertThat(verified.privateAccess()).isTrue();
  }

  @Test
  void signatureCoversDomainAndExactBytes() {
    SignedNodeInfo signed = SignedNodeInfos.sign(key, info(key).build());
    byte[] info = signed.getInfo().toByteArray();
    byte[] message = new byte[SignedNodeInfos.DOMAIN.length + info.length];
    System.arraycopy(SignedNodeInfos.DOMAIN, 0, message, 0, SignedNodeInfos.DOMAIN.length);
    System.arraycopy(info, 0, message, SignedNodeInfos.DOMAIN.length, info.length);
    assertThat(new String(SignedNodeInfos.DOMAIN, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("weft-node-info-v1");
    assertThat(NetworkKey.verify(key.publicKey(), message, signed.getSignature().toByteArray()))
        .isTrue();
    assertThat(NetworkKey.verify(key.publicKey(), info, signed.getSignature().toByteArray()))
        .isFalse();
  }

  @Test
  void verifiesUnknownFieldsWithoutReencoding() throws Exception {
    // A newer node may add fields; the bytes it signed must still verify here.
    byte[] extra = info(key).build().toByteArray();
    byte[] tag = {(byte) 0x98, 0x06, 0x07}; // field 99 varint = 7
    byte[] bytes = new byte[extra.length + tag.length];
    System.arraycopy(extra, 0, bytes, 0, extra.length);
    System.arraycopy(tag, 0, bytes, extra.length, tag.length);
    ByteString info = ByteString.copyFrom(bytes);
    byte[] message = new byte[SignedNodeInfos.DOMAIN.length + bytes.length];
    System.arraycopy(SignedNodeInfos.DOMAIN, 0, message, 0, SignedNodeInfos.DOMAIN.length);
    System.arraycopy(bytes, 0, message, SignedNodeInfos.DOMAIN.length, bytes.length);
    SignedNodeInfo signed = SignedNodeInfo.newBuilder().setInfo(info)
        .setSignature(ByteString.copyFrom(key.sign(message))).build();
    assertThat(SignedNodeInfos.verify(signed).peerId()).isEqualTo(key.peerId());
  }

  @Test
  void signRejectsForeignInfo() {
    NodeInfo other = info(NetworkKey.generate()).build();
    assertThatThrownBy(() -> SignedNodeInfos.sign(key, other))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forgedSignature() {
    SignedNodeInfo signed = SignedNodeInfos.sign(key, info(key).build());
    byte[] signature = signed.getSignature().toByteArray();
    signature[5] ^= 0x01;
    SignedNodeInfo forged = signed.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    assertReason(() -> SignedNodeInfos.verify(forged), Reason.BAD_SIGNATURE);
  }

  @Test
  void tamperedInfo() {
    SignedNodeInfo signed = SignedNodeInfos.sign(key, info(key).build());
    NodeInfo changed = info(key).setTimestampMs(1).build();
    SignedNodeInfo tampered = signed.toBuilder().setInfo(changed.toByteString()).build();
    assertReason(() -> SignedNodeInfos.verify(tampered), Reason.BAD_SIGNATURE);
  }

  @Test
  void claimsPeerASignedByKeyB() {
    NetworkKey a = NetworkKey.generate();
    ByteString info = info(a).build().toByteString();
    byte[] message = new byte[SignedNodeInfos.DOMAIN.length + info.size()];
    System.arraycopy(SignedNodeInfos.DOMAIN, 0, message, 0, SignedNodeInfos.DOMAIN.length);
    info.copyTo(message, SignedNodeInfos.DOMAIN.length);
    SignedNodeInfo signed = SignedNodeInfo.newBuilder().setInfo(info)
        .setSignature(ByteString.copyFrom(key.sign(message))).build();
    assertReason(() -> SignedNodeInfos.verify(signed), Reason.BAD_SIGNATURE);
  }

  @Test
  void missingOrShortSignature() {
    SignedNodeInfo signed = SignedNodeInfos.sign(key, info(key).build());
    assertReason(() -> SignedNodeInfos.verify(signed.toBuilder().clearSignature().build()),
        Reason.BAD_SIGNATURE);
    assertReason(() -> SignedNodeInfos.verify(signed.toBuilder()
        .setSignature(signed.getSignature().substring(0, 63)).build()), Reason.BAD_SIGNATURE);
  }

  @Test
  void tooManyAddresses() {
    NodeInfo info = info(key).clearAddresses()
        .addAllAddresses(Collections.nCopies(11, "10.0.0.1:4000")).build();
    assertReason(() -> SignedNodeInfos.verify(SignedNodeInfos.sign(key, info)),
        Reason.TOO_MANY_ADDRESSES);
  }

  @Test
  void tenAddressesOfMaxLengthAreFine() throws Exception {
    NodeInfo info = info(key).clearAddresses()
        .addAllAddresses(Collections.nCopies(10, "é".repeat(512))).build();
    assertThat(SignedNodeInfos.verify(SignedNodeInfos.sign(key, info)).addresses()).hasSize(10);
  }

  @Test
  void addressTooLong() {
    NodeInfo info = info(key).addAddresses("a".repeat(1025)).build();
    assertReason(() -> SignedNodeInfos.verify(SignedNodeInfos.sign(key, info)),
        Reason.ADDRESS_TOO_LONG);
    NodeInfo multiByte = info(key).addAddresses("é".repeat(512) + "a").build(); // 1025 bytes
    assertReason(() -> SignedNodeInfos.verify(SignedNodeInfos.sign(key, multiByte)),
        Reason.ADDRESS_TOO_LONG);
  }

  @Test
  void garbageInfo() {
    SignedNodeInfo signed = SignedNodeInfo.newBuilder()
        .setInfo(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x02}))
        .setSignature(ByteString.copyFrom(new byte[64])).build();
    assertReason(() -> SignedNodeInfos.verify(signed), Reason.MALFORMED);
  }

  @Test
  void missingInfoOrShortPeerId() {
    assertReason(() -> SignedNodeInfos.verify(SignedNodeInfo.getDefaultInstance()),
        Reason.MALFORMED);
    assertReason(() -> SignedNodeInfos.verify(null), Reason.MALFORMED);
    NodeInfo shortId = NodeInfo.newBuilder().setPeerId(ByteString.copyFrom(new byte[31]))
        .setTimestampMs(5).build();
    SignedNodeInfo signed = SignedNodeInfo.newBuilder().setInfo(shortId.toByteString())
        .setSignature(ByteString.copyFrom(new byte[64])).build();
    assertReason(() -> SignedNodeInfos.verify(signed), Reason.MALFORMED);
  }

  @Test
  void metricTags() {
    assertThat(Reason.BAD_SIGNATURE.metricTag()).isEqualTo("bad_signature");
    assertThat(Reason.TOO_MANY_ADDRESSES.metricTag()).isEqualTo("too_many_addresses");
    assertThat(Reason.OWN_ID.metricTag()).isEqualTo("own_id");
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidNodeInfoException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
