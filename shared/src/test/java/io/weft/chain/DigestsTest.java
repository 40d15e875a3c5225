package io.weft.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.proto.chain.BlockRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class DigestsTest {

  private static byte[] bouncyCastle(byte[] bytes) {
    Blake2bDigest digest = new Blake2bDigest(256);
    digest.update(bytes, 0, bytes.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  @Test
  void blake2bMatchesBouncyCastleOverTheExactBytes() {
    byte[] bytes = "weft chain bytes".getBytes(StandardCharsets.US_ASCII);
    Digest digest = Digests.blake2b256(bytes);
    assertThat(digest.toBytes()).isEqualTo(bouncyCastle(bytes));
    assertThat(Digests.blake2b256(new byte[0]).toBytes()).isEqualTo(bouncyCastle(new byte[0]));
    // Known answer: Blake2b-256 of the empty input.
    assertThat(Digests.blake2b256(new byte[0]).toHex())
        .isEqualTo("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  }

  @Test
  void oneChangedByteChangesTheDigest() {
    byte[] bytes = new byte[300];
    Arrays.fill(bytes, (byte) 7);
    Digest before = Digests.blake2b256(bytes);
    for (int i : new int[] {0, 150, 299}) {
      byte[] changed = bytes.clone();
      changed[i] ^= 1;
      assertThat(Digests.blake2b256(changed)).isNotEqualTo(before);
    }
    assertThat(Digests.blake2b256(bytes.clone())).isEqualTo(before);
  }

  @Test
  void digestValueSemantics() {
    byte[] raw = new byte[32];
    raw[0] = (byte) 0xab;
    raw[31] = 1;
    Digest digest = Digest.of(raw);
    raw[0] = 0;
    assertThat(digest.toBytes()[0]).isEqualTo((byte) 0xab);
    digest.toBytes()[0] = 0;
    assertThat(digest.toBytes()[0]).isEqualTo((byte) 0xab);
    assertThat(digest.toHex()).hasSize(64).startsWith("ab00").endsWith("01");
    assertThat(digest.shortHex()).isEqualTo("ab000000");
    assertThat(digest.toString()).isEqualTo("ab000000");
    Digest same = Digest.of(HexFormat.of().parseHex(digest.toHex()));
    assertThat(same).isEqualTo(digest).hasSameHashCodeAs(digest);
    assertThat(same.compareTo(digest)).isZero();
    assertThat(Digest.of(new byte[32]).compareTo(digest)).isNegative();
    assertThat(digest.compareTo(Digest.of(new byte[32]))).isPositive();
    assertThatThrownBy(() -> Digest.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.of(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockRefKeyLayoutAndRoundTrip() {
    Digest digest = Digests.blake2b256(new byte[] {1, 2, 3});
    BlockRef ref = BlockRefs.of(0x0102030405060708L, 0x0a0b0c0d, digest);
    byte[] key = BlockRefs.key(ref);
    assertThat(key).hasSize(44);
    assertThat(Arrays.copyOfRange(key, 0, 12)).containsExactly(
        1, 2, 3, 4, 5, 6, 7, 8, 0x0a, 0x0b, 0x0c, 0x0d);
    assertThat(Arrays.copyOfRange(key, 12, 44)).isEqualTo(digest.toBytes());
    assertThat(BlockRefs.fromKey(key)).isEqualTo(ref);
    assertThat(BlockRefs.digest(ref)).isEqualTo(digest);
    assertThatThrownBy(() -> BlockRefs.fromKey(new byte[43]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockRefKeysSortByRoundThenAuthor() {
    Digest high = Digest.of(filled((byte) 0xff));
    Digest low = Digest.of(filled((byte) 0));
    byte[] r1a9 = BlockRefs.key(BlockRefs.of(1, 9, high));
    byte[] r2a0 = BlockRefs.key(BlockRefs.of(2, 0, low));
    byte[] r2a1 = BlockRefs.key(BlockRefs.of(2, 1, low));
    byte[] r256a0 = BlockRefs.key(BlockRefs.of(256, 0, low));
    assertThat(Arrays.compareUnsigned(r1a9, r2a0)).isNegative();
    assertThat(Arrays.compareUnsigned(r2a0, r2a1)).isNegative();
    assertThat(Arrays.compareUnsigned(r2a1, r256a0)).isNegative();
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
