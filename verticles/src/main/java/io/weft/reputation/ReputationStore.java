package io.weft.reputation;

import io.weft.store.ChainStore;
import io.weft.store.ChainStore.PeerEntry;
import io.weft.store.StoreException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link PeerReputations} records in the store's {@code peers} column family.
 * Blocking: call from a worker.
 */
final class ReputationStore {

  private static final Logger LOG = LoggerFactory.getLogger(ReputationStore.class);

  private ReputationStore() {
  }

  /**
   * At most {@code limit} stored records; a corrupt entry (wrong key or value length, unknown
   * version, negative count, non-finite number) is skipped with a log line and deleted.
   */
  static List<PeerReputation> load(ChainStore store, int limit) throws StoreException {
    List<PeerReputation> records = new ArrayList<>();
    List<byte[]> corrupt = new ArrayList<>();
    for (PeerEntry entry : store.peerEntries(limit)) {
      try {
        records.add(PeerReputationCodec.decode(entry.key(), entry.value()));
      } catch (IllegalArgumentException e) {
        corrupt.add(entry.key());
        LOG.warn("skipping a corrupt peer record in {} (key {}): {}", store.dir(), shortHex(entry.key()), e.getMessage());
      }
    }
    if (!corrupt.isEmpty()) {
      store.writePeerEntries(List.of(), corrupt);
    }
    return records;
  }

  /** Writes changed records and deletes evicted ones, in one batch. */
  static void save(ChainStore store, PeerReputations.Changes changes) throws StoreException {
    List<PeerEntry> upserts = changes.upserts().stream()
        .map(r -> new PeerEntry(PeerReputationCodec.key(r.peerId()), PeerReputationCodec.value(r))).toList();
    store.writePeerEntries(upserts, changes.removals().stream().map(PeerReputationCodec::key).toList());
  }

  private static String shortHex(byte[] key) {
    String hex = HexFormat.of().formatHex(key);
    return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex;
  }
}
