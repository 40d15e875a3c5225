package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.Arrays;

/** Fixed peer ids, so hash-ordered collections iterate the same way on every run. */
final class TestPeers {

  private TestPeers() {
  }

  /** The peer id made of 32 bytes of {@code n}. */
  static PeerId peer(int n) {
    byte[] bytes = new byte[PeerId.LENGTH];
    Arrays.fill(bytes, (byte) n);
    return PeerId.of(bytes);
  }
}
