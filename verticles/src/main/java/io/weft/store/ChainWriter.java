package io.weft.store;

/**
 * The writes that put a chain into a store: genesis, then batches in order. {@link ChainStore}
 * (RocksDB) implements it; so does the network simulator's in-memory store, so
 * {@code io.weft.sync.ChainImport} fills both.
 */
public interface ChainWriter {

  /** Index of the highest commit held; −1 before genesis. */
  long highestSynced();

  /** Writes commit 0, its digest and the epoch-0 committee; fails when another genesis is held. */
  void initGenesis(byte[] genesisCommitBytes, byte[] genesisDigest, byte[] committeeBytes) throws StoreException;

  /** Writes a batch atomically; its commits must start right after the highest held. */
  void apply(ApplyBatch batch) throws StoreException;
}
