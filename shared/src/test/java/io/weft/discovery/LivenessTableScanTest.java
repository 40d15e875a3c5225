package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The silencing scan of {@link LivenessTable}, which forgets entries in place as it goes. */
class LivenessTableScanTest {

  private static PeerId randomId(Random random) {
    byte[] bytes = new byte[PeerId.LENGTH];
    random.nextBytes(bytes);
    return PeerId.of(bytes);
  }

  /**
   * Verifies that one scan forgets every entry heard of but not in the table (two in three of
   * 6,000, so runs of removals wrap around the slot array and pull later entries back into slots
   * being visited) and keeps every peer in the table: all 2,000 are still vouched for, no other.
   */
  @Test
  void aScanForgetsEveryEntryNotInTheTableAndKeepsTheRest() {
    Random random = new Random(5);
    LivenessTable liveness = new LivenessTable(0x5EEDL);
    KnownPeerTable table = new KnownPeerTable();
    Set<Long> inTable = new HashSet<>();
    for (int i = 0; i < 6_000; i++) {
      PeerId id = randomId(random);
      if (i % 3 == 0) {
        KnownPeer peer = new KnownPeer(id, SignedNodeInfo.getDefaultInstance(), 1, List.of("h:" + i), false);
        table.upsert(peer);
        liveness.indexed(peer);
        inTable.add(id.prefix64());
      }
      liveness.heard(id, 10);
    }
    assertThat(liveness.size()).isEqualTo(6_000);

    List<PeerId> silenced = liveness.silenceStale(table, 20, Long.MAX_VALUE, 1_000, 0, Set.of());

    assertThat(silenced).isEmpty();
    assertThat(liveness.size()).isEqualTo(2_000);
    PeerId self = randomId(random);
    LivenessDigest digest = liveness.digest(self, 20, 1_000, 10_000, random, List.of());
    Set<Long> vouched = new HashSet<>();
    ByteBuffer prefixes = digest.getPeerIdPrefixes().asReadOnlyByteBuffer();
    for (int i = 1; i < digest.getAges100MsCount(); i++) {
      vouched.add(prefixes.getLong(i * LivenessTable.PREFIX_BYTES));
    }
    assertThat(vouched).isEqualTo(inTable);
  }
}
