package io.weft.store;

import static io.weft.store.StoreKeys.GENESIS_DIGEST;
import static io.weft.store.StoreKeys.HIGHEST_SYNCED;
import static io.weft.store.StoreKeys.LOWEST_AVAILABLE;
import static io.weft.store.StoreKeys.longKey;

import io.weft.store.ApplyBatch.BlockEntry;
import io.weft.store.ApplyBatch.CertifierEntry;
import io.weft.store.ApplyBatch.CommitEntry;
import io.weft.store.ApplyBatch.CommitteeEntry;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The store's writes, each one atomic {@code WriteBatch} with a synced WAL. The caller
 * ({@link ChainStore}) serializes the chain writes and keeps the cached sync position.
 */
final class StoreWrites {

  private static final byte[] EMPTY = new byte[0];

  private StoreWrites() {
  }

  /** Commit 0, its digest, the epoch-0 committee and the meta keys. */
  static void genesis(StoreHandles h, CommitEntry commit, CommitteeEntry committee)
      throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      putCommit(h, batch, commit);
      batch.put(h.committees, longKey(committee.epoch()), committee.bytes());
      batch.put(h.meta, HIGHEST_SYNCED, longKey(0));
      batch.put(h.meta, LOWEST_AVAILABLE, longKey(0));
      batch.put(h.meta, GENESIS_DIGEST, commit.digest());
      h.db.write(h.syncWrite, batch);
    }
  }

  /**
   * Checks that the batch's commits continue {@code highest} without a gap, then writes it all.
   *
   * @return the new highest synced index ({@code highest} when the batch has no commits)
   * @throws StoreException when the commits do not start at {@code highest + 1} or have a gap;
   *     nothing is written then
   */
  static long apply(StoreHandles h, Path dir, long highest, ApplyBatch batch)
      throws StoreException, RocksDBException {
    long expected = highest + 1;
    for (CommitEntry c : batch.commits()) {
      if (c.index() != expected) {
        throw new StoreException("store at " + dir + " refused a batch: commit " + c.index()
            + " where " + expected + " was expected (highest synced " + highest + ")");
      }
      expected++;
    }
    long newHighest = expected - 1;
    try (WriteBatch wb = new WriteBatch()) {
      for (CommitEntry c : batch.commits()) {
        putCommit(h, wb, c);
      }
      for (BlockEntry b : batch.blocks()) {
        wb.put(h.blocks, b.refKey(), b.bytes());
      }
      for (CertifierEntry c : batch.certifiers()) {
        wb.put(h.certifiers, StoreKeys.certifierKey(c.commitIndex(), c.refKey()), EMPTY);
      }
      for (CommitteeEntry c : batch.committees()) {
        wb.put(h.committees, longKey(c.epoch()), c.bytes());
      }
      if (newHighest != highest) {
        wb.put(h.meta, HIGHEST_SYNCED, longKey(newHighest));
      }
      h.db.write(h.syncWrite, wb);
    }
    return newHighest;
  }

  /** Puts and deletes peer records in the {@code peers} family, in one batch. */
  static void peers(StoreHandles h, java.util.List<ChainStore.PeerEntry> upserts, java.util.List<byte[]> removals)
      throws RocksDBException {
    try (WriteBatch wb = new WriteBatch()) {
      for (byte[] key : removals) {
        wb.delete(h.peers, key);
      }
      for (ChainStore.PeerEntry e : upserts) {
        wb.put(h.peers, e.key(), e.value());
      }
      h.db.write(h.syncWrite, wb);
    }
  }

  private static void putCommit(StoreHandles h, WriteBatch batch, CommitEntry c) throws RocksDBException {
    batch.put(h.commits, longKey(c.index()), c.bytes());
    batch.put(h.commitIndex, c.digest(), longKey(c.index()));
  }
}
