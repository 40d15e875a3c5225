package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The reference rules kept by {@link PeerHeights}. */
class PeerHeightsTest {

  private static final Digest OURS = digest(1);
  private static final Digest OTHER = digest(2);
  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);

  private final PeerHeights heights = new PeerHeights();

  private static Digest digest(int n) {
    byte[] bytes = new byte[Digest.LENGTH];
    Arrays.fill(bytes, (byte) n);
    return Digest.of(bytes);
  }

  /** Verifies that only peers that told their genesis are tracked: raiseHeight on an unknown peer returns false and adds nothing. */
  @Test
  void raiseHeightIgnoresAPeerThatNeverToldItsGenesis() {
    assertThat(heights.raiseHeight(A, 10)).isFalse();
    assertThat(heights.get(A)).isEmpty();
    assertThat(heights.size()).isZero();
    assertThat(heights.highestKnown(OURS)).isEqualTo(-1);

    heights.put(A, OURS, 5, 0);
    assertThat(heights.raiseHeight(A, 10)).isTrue();
    assertThat(heights.get(A)).hasValueSatisfying(i -> assertThat(i.height()).isEqualTo(10));
  }

  /** Verifies that a height only grows, through raiseHeight and through put with the same genesis. */
  @Test
  void heightsOnlyGrow() {
    heights.put(A, OURS, 50, 3);
    assertThat(heights.raiseHeight(A, 20)).isTrue();
    assertThat(heights.get(A).orElseThrow().height()).isEqualTo(50);

    heights.put(A, OURS, 30, 7);
    PeerHeights.Info info = heights.get(A).orElseThrow();
    assertThat(info.height()).isEqualTo(50);
    assertThat(info.lowestAvailable()).isEqualTo(7);

    heights.put(A, OURS, 80, 7);
    assertThat(heights.get(A).orElseThrow().height()).isEqualTo(80);
  }

  /** Verifies that an entry with a different genesis replaces the old one, even with a lower height. */
  @Test
  void aDifferentGenesisReplacesTheEntry() {
    heights.put(A, OURS, 100, 0);
    heights.put(A, OTHER, 4, 2);

    PeerHeights.Info info = heights.get(A).orElseThrow();
    assertThat(info.genesis()).isEqualTo(OTHER);
    assertThat(info.height()).isEqualTo(4);
    assertThat(info.lowestAvailable()).isEqualTo(2);
    assertThat(heights.onChain(OURS)).isEmpty();
    assertThat(heights.size()).isEqualTo(1);
  }

  /** Verifies that highestKnown and onChain count only peers on the given chain. */
  @Test
  void highestKnownIgnoresPeersOnAnotherChain() {
    heights.put(A, OURS, 40, 0);
    heights.put(B, OTHER, 900, 0);

    assertThat(heights.highestKnown(OURS)).isEqualTo(40);
    assertThat(heights.highestKnown(OTHER)).isEqualTo(900);
    assertThat(heights.onChain(OURS)).extracting(PeerHeights.Info::peerId).containsExactly(A);
    assertThat(heights.highestKnown(digest(3))).isEqualTo(-1);
  }
}
