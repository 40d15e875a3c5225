package io.weft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NetworkKeyTest {

  private static final byte[] MESSAGE = "hello weft".getBytes(StandardCharsets.UTF_8);

  @Test
  void signThenVerify() {
    NetworkKey key = NetworkKey.generate();
    byte[] signature = key.sign(MESSAGE);
    assertThat(signature).hasSize(64);
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, signature)).isTrue();
    assertThat(key.peerId().toBytes()).isEqualTo(key.publicKey());
  }

  @Test
  void tamperedMessageOrWrongKeyFails() {
    NetworkKey key = NetworkKey.generate();
    byte[] signature = key.sign(MESSAGE);
    byte[] tampered = MESSAGE.clone();
    tampered[0] ^= 1;
    assertThat(NetworkKey.verify(key.publicKey(), tampered, signature)).isFalse();
    assertThat(NetworkKey.verify(NetworkKey.generate().publicKey(), MESSAGE, signature)).isFalse();
    byte[] badSig = signature.clone();
    badSig[10] ^= 1;
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, badSig)).isFalse();
  }

  @Test
  void garbageNeverThrows() {
    NetworkKey key = NetworkKey.generate();
    byte[] signature = key.sign(MESSAGE);
    assertThat(NetworkKey.verify(null, MESSAGE, signature)).isFalse();
    assertThat(NetworkKey.verify(key.publicKey(), null, signature)).isFalse();
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, null)).isFalse();
    assertThat(NetworkKey.verify(new byte[31], MESSAGE, signature)).isFalse();
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, Arrays.copyOf(signature, 63)))
        .isFalse();
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, new byte[65])).isFalse();
    byte[] notAPoint = new byte[32];
    Arrays.fill(notAPoint, (byte) 0xff);
    assertThat(NetworkKey.verify(notAPoint, MESSAGE, signature)).isFalse();
    assertThat(NetworkKey.verify(new byte[32], MESSAGE, new byte[64])).isFalse();
  }

  @Test
  void fromSeedIsDeterministicAndMatchesRfc8032() {
    // RFC 8032, section 7.1, TEST 1
    byte[] seed = HexFormat.of().parseHex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    NetworkKey a = NetworkKey.fromSeed(seed);
    NetworkKey b = NetworkKey.fromSeed(seed);
    assertThat(a.peerId()).isEqualTo(b.peerId());
    assertThat(a.peerId().toHex())
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(HexFormat.of().formatHex(a.sign(new byte[0]))).isEqualTo(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(a.seed()).isEqualTo(seed);
  }

  @Test
  void fromSeedRejectsWrongLength() {
    assertThatThrownBy(() -> NetworkKey.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    assertThatThrownBy(() -> NetworkKey.fromSeed(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pkcs8IsReadableByJdk() throws Exception {
    NetworkKey key = NetworkKey.generate();
    PrivateKey jdk = KeyFactory.getInstance("Ed25519")
        .generatePrivate(new PKCS8EncodedKeySpec(key.toPkcs8Der()));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(jdk);
    signer.update(MESSAGE);
    byte[] signature = signer.sign();
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, signature)).isTrue();
    assertThat(signature).isEqualTo(key.sign(MESSAGE)); // Ed25519 is deterministic
  }

  @Test
  void toStringHidesSeed() {
    NetworkKey key = NetworkKey.generate();
    String hexSeed = HexFormat.of().formatHex(key.seed());
    assertThat(key.toString()).contains(key.peerId().shortId())
        .doesNotContain(hexSeed).doesNotContain(hexSeed.substring(0, 8));
  }

  @Test
  void accessorsReturnCopies() {
    NetworkKey key = NetworkKey.generate();
    key.seed()[0] ^= 1;
    key.publicKey()[0] ^= 1;
    assertThat(NetworkKey.verify(key.publicKey(), MESSAGE, key.sign(MESSAGE))).isTrue();
  }
}
