package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Liveness digests for tests: built by hand, and read back. */
final class LivenessDigests {

  private LivenessDigests() {
  }

  /** A well-formed digest: each id with its age in units of 100 ms, in order. */
  static LivenessDigest digest(List<PeerId> ids, int... ages) {
    ByteBuffer bytes = ByteBuffer.allocate(ids.size() * 8);
    ids.forEach(id -> bytes.putLong(id.prefix64()));
    LivenessDigest.Builder out = LivenessDigest.newBuilder().setPeerIdPrefixes(ByteString.copyFrom(bytes.array()));
    for (int age : ages) {
      out.addAges100Ms(age);
    }
    return out.build();
  }

  /** A digest with {@code prefixBytes} zero bytes of prefixes and {@code ages} ages (maybe malformed). */
  static LivenessDigest raw(int prefixBytes, int ages) {
    LivenessDigest.Builder out = LivenessDigest.newBuilder().setPeerIdPrefixes(ByteString.copyFrom(new byte[prefixBytes]));
    for (int i = 0; i < ages; i++) {
      out.addAges100Ms(1);
    }
    return out.build();
  }

  /** The entries of {@code digest} in order: prefix to age in units of 100 ms. */
  static Map<Long, Integer> entries(LivenessDigest digest) {
    assertThat(digest.getPeerIdPrefixes().size()).isEqualTo(8 * digest.getAges100MsCount());
    ByteBuffer bytes = digest.getPeerIdPrefixes().asReadOnlyByteBuffer();
    Map<Long, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < digest.getAges100MsCount(); i++) {
      out.put(bytes.getLong(), digest.getAges100Ms(i));
    }
    return out;
  }

  static long prefix(PeerId id) {
    return id.prefix64();
  }
}
