package io.weft.store;

import static io.weft.store.StoreKeys.LOWEST_AVAILABLE;
import static io.weft.store.StoreKeys.longKey;

import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.chain.BlockRefs;
import io.weft.chain.Digests;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Deletes old commits: every commit in {@code [lowest, newLowest)} (never commit 0, the genesis
 * anchor peers ask for) with its digest index entry, its blocks and its certifier index entries,
 * then raises the lowest available commit. Works in chunks, each one atomic with the new lowest
 * mark, so a crash leaves a store whose mark matches what it holds.
 */
final class StorePruning {

  /** Commits deleted per atomic write. */
  static final int CHUNK = 1_000;

  private StorePruning() {
  }

  /** @return the new lowest available commit */
  static long prune(StoreHandles h, long lowest, long newLowest) throws RocksDBException, StoreException {
    long from = Math.max(1, lowest);
    while (from < newLowest) {
      long to = Math.min(newLowest, from + CHUNK);
      try (WriteBatch batch = new WriteBatch()) {
        for (long index = from; index < to; index++) {
          deleteCommit(h, batch, index);
        }
        batch.put(h.meta, LOWEST_AVAILABLE, longKey(to));
        h.db.write(h.syncWrite, batch);
      }
      from = to;
    }
    return newLowest;
  }

  private static void deleteCommit(StoreHandles h, WriteBatch batch, long index)
      throws RocksDBException, StoreException {
    byte[] bytes = h.db.get(h.commits, longKey(index));
    if (bytes == null) {
      return;
    }
    Commit commit;
    try {
      commit = Commit.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException("commit " + index + " in the store does not parse: " + e.getMessage(), e);
    }
    for (BlockRef ref : commit.getBlocksList()) {
      batch.delete(h.blocks, BlockRefs.key(ref));
    }
    for (byte[] refKey : StoreScans.certifierRefKeys(h, index)) {
      batch.delete(h.certifiers, StoreKeys.certifierKey(index, refKey));
    }
    batch.delete(h.commitIndex, Digests.blake2b256(bytes).toBytes());
    batch.delete(h.commits, longKey(index));
  }
}
