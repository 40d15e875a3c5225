package io.weft.store;

import java.util.List;
import java.util.Optional;

/**
 * The reads the sync server needs from a chain store. {@link ChainStore} (RocksDB) implements it;
 * the network simulator implements it in memory, so both serve by the same rules
 * ({@code io.weft.sync.CommitServing}).
 */
public interface ChainReader {

  /** Index of the highest commit held (all below it are held too); −1 before genesis. */
  long highestSynced();

  /** Index of the lowest commit held; −1 before genesis. */
  long lowestAvailable();

  /** Digest of commit 0, which identifies the chain; empty before genesis. */
  Optional<byte[]> genesisDigest();

  /** The exact bytes of commit {@code index}. */
  Optional<byte[]> commit(long index) throws StoreException;

  /** Commits {@code from..toInclusive} in order, stopping at the first missing one. */
  List<byte[]> commits(long from, long toInclusive) throws StoreException;

  /** The index of the commit with this digest. */
  Optional<Long> indexOf(byte[] digest) throws StoreException;

  /** The blocks stored under these 44-byte ref keys, in request order; missing ones are skipped. */
  List<byte[]> blocks(List<byte[]> refKeys) throws StoreException;

  /** The blocks indexed as certifiers (vote carriers) of commit {@code commitIndex}. */
  List<byte[]> certifierBlocks(long commitIndex) throws StoreException;

  /** The serialized Committee of {@code epoch}. */
  Optional<byte[]> committee(long epoch) throws StoreException;
}
