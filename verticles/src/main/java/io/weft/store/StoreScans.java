package io.weft.store;

import static io.weft.store.StoreKeys.longKey;
import static io.weft.store.StoreKeys.readLong;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The store's multi-key reads: range and prefix scans and multi-gets. Blocking. */
final class StoreScans {

  private StoreScans() {
  }

  /** Commits {@code from..last} in order, stopping at the first missing index. */
  static List<byte[]> commitRange(StoreHandles h, long from, long last) throws RocksDBException {
    List<byte[]> out = new ArrayList<>();
    try (RocksIterator it = h.db.newIterator(h.commits)) {
      long expected = from;
      for (it.seek(longKey(from)); it.isValid() && expected <= last; it.next(), expected++) {
        if (!Arrays.equals(it.key(), longKey(expected))) {
          break;
        }
        out.add(it.value());
      }
      it.status();
    }
    return out;
  }

  /** Every stored commit with index {@code >= from}, in index order, gaps included. */
  static void forEachCommit(StoreHandles h, long from, BiConsumer<Long, byte[]> visitor)
      throws RocksDBException {
    try (RocksIterator it = h.db.newIterator(h.commits)) {
      for (it.seek(longKey(from)); it.isValid(); it.next()) {
        visitor.accept(readLong(it.key()), it.value());
      }
      it.status();
    }
  }

  /** The ref keys indexed under {@code commitIndex} in the certifiers family (a prefix scan). */
  static List<byte[]> certifierRefKeys(StoreHandles h, long commitIndex) throws RocksDBException {
    byte[] prefix = longKey(commitIndex);
    List<byte[]> refKeys = new ArrayList<>();
    try (RocksIterator it = h.db.newIterator(h.certifiers)) {
      for (it.seek(prefix); it.isValid() && StoreKeys.startsWith(it.key(), prefix); it.next()) {
        refKeys.add(StoreKeys.refKeyOfCertifier(it.key()));
      }
      it.status();
    }
    return refKeys;
  }

  /** The values of {@code keys} in {@code family}, in key order, absent ones skipped. */
  static List<byte[]> present(StoreHandles h, ColumnFamilyHandle family, List<byte[]> keys)
      throws RocksDBException {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<byte[]> values = h.db.multiGetAsList(Collections.nCopies(keys.size(), family), keys);
    List<byte[]> out = new ArrayList<>(values.size());
    values.stream().filter(Objects::nonNull).forEach(out::add);
    return out;
  }

  /** The first {@code limit} entries of {@code family}, in key order. */
  static List<ChainStore.PeerEntry> entries(StoreHandles h, ColumnFamilyHandle family, int limit)
      throws RocksDBException {
    List<ChainStore.PeerEntry> out = new ArrayList<>();
    try (RocksIterator it = h.db.newIterator(family)) {
      for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
        out.add(new ChainStore.PeerEntry(it.key(), it.value()));
      }
      it.status();
    }
    return out;
  }
}
