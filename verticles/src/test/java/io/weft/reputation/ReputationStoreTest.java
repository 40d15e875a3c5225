package io.weft.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation.Offence;
import io.weft.store.ChainStore;
import io.weft.store.ChainStore.PeerEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** Reputation records in the store's {@code peers} column family: round trip, evictions, corrupt entries. */
class ReputationStoreTest {

  private static final long T0 = 1_700_000_000_000L;

  @TempDir
  Path dir;

  private static PeerId peer(int n) {
    byte[] bytes = new byte[PeerId.LENGTH];
    Arrays.fill(bytes, (byte) n);
    return PeerId.of(bytes);
  }

  /** Verifies that records written as changes come back equal after the store is closed and reopened. */
  @Test
  void recordsSurviveAReopen() throws Exception {
    PeerReputations table = new PeerReputations();
    table.served(peer(1), 500_000, 250, T0);
    table.rtt(peer(1), 12, T0 + 1);
    table.offence(peer(2), Offence.VERIFICATION, 1, 600_000, T0 + 2);
    table.offence(peer(3), Offence.RELAY, 3, 600_000, T0 + 3);
    try (ChainStore store = ChainStore.open(dir)) {
      ReputationStore.save(store, table.takeChanges());
    }

    try (ChainStore store = ChainStore.open(dir)) {
      List<PeerReputation> loaded = ReputationStore.load(store, 100);
      assertThat(loaded).containsExactlyInAnyOrder(table.get(peer(1)).orElseThrow(),
          table.get(peer(2)).orElseThrow(), table.get(peer(3)).orElseThrow());
      PeerReputations restored = new PeerReputations();
      restored.restore(loaded, T0 + 10);
      assertThat(restored.isDenied(peer(2), T0 + 10)).isTrue();
      assertThat(restored.denied(T0 + 10)).extracting(PeerReputation::peerId).containsExactly(peer(2));
    }
  }

  /** Verifies that evicted records are deleted from the store, and that load reads at most its limit. */
  @Test
  void evictionsAreDeletedAndLoadIsBounded() throws Exception {
    PeerReputations table = new PeerReputations(new ReputationPolicy(10, 0.1, 3, 1_000));
    try (ChainStore store = ChainStore.open(dir)) {
      for (int i = 1; i <= 10; i++) {
        table.rtt(peer(i), 5, T0 + i);
      }
      ReputationStore.save(store, table.takeChanges());
      assertThat(store.peerEntries(100)).hasSize(10);

      table.rtt(peer(11), 5, T0 + 11);         // evicts peers 1 and 2
      ReputationStore.save(store, table.takeChanges());

      List<PeerReputation> loaded = ReputationStore.load(store, 100);
      assertThat(loaded).extracting(PeerReputation::peerId).hasSize(9).doesNotContain(peer(1), peer(2));
      assertThat(ReputationStore.load(store, 4)).hasSize(4);
    }
  }

  /**
   * Verifies that corrupt entries (short key, short value, unknown version, negative count) are
   * skipped and deleted, and the sound ones still load.
   */
  @Test
  void corruptEntriesAreSkippedAndDeleted() throws Exception {
    PeerReputation sound = new PeerReputation(peer(1), 3, 1, 0, 0, 0, 1e5, 20, 0, T0);
    byte[] badVersion = PeerReputationCodec.value(sound);
    badVersion[0] = 9;
    byte[] negative = PeerReputationCodec.value(sound);
    negative[1] = (byte) 0x80;
    try (ChainStore store = ChainStore.open(dir)) {
      store.writePeerEntries(List.of(
          new PeerEntry(PeerReputationCodec.key(sound.peerId()), PeerReputationCodec.value(sound)),
          new PeerEntry("short".getBytes(StandardCharsets.UTF_8), PeerReputationCodec.value(sound)),
          new PeerEntry(PeerReputationCodec.key(peer(2)), new byte[] {1, 2, 3}),
          new PeerEntry(PeerReputationCodec.key(peer(3)), badVersion),
          new PeerEntry(PeerReputationCodec.key(peer(4)), negative)), List.of());

      assertThat(ReputationStore.load(store, 100)).containsExactly(sound);
      assertThat(store.peerEntries(100)).hasSize(1);
    }
  }

  /** Verifies that a store made before the {@code peers} family existed opens, and gets the family. */
  @Test
  void aStoreWithoutThePeersFamilyOpens() throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyDescriptor> old = new ArrayList<>();
    old.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (String name : List.of("commits", "commit_index", "blocks", "certifiers", "committees", "meta")) {
      old.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, dir.toString(), old, handles)) {
      handles.forEach(ColumnFamilyHandle::close);
    }

    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(ReputationStore.load(store, 10)).isEmpty();
      store.writePeerEntries(List.of(new PeerEntry(PeerReputationCodec.key(peer(5)),
          PeerReputationCodec.value(PeerReputation.fresh(peer(5), T0)))), List.of());
    }
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(ReputationStore.load(store, 10)).extracting(PeerReputation::peerId).containsExactly(peer(5));
    }
  }
}
