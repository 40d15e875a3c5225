/**
 * The chain on disk.
 *
 * <ul>
 *   <li>{@link io.weft.store.ChainStore}: a RocksDB store of commits (by index and by digest),
 *       signed blocks (by 44-byte ref key), the certifier blocks of each commit, committees (by
 *       epoch) and the sync position. Blocking and thread-safe: call it from a worker.</li>
 *   <li>{@link io.weft.store.ApplyBatch}: what one atomic, WAL-synced write holds.</li>
 * </ul>
 *
 * <p>The store works on exact bytes and longs only; parsing and verification belong to the chain
 * model. Invariant: commits 0..highest synced are all present and none above, because each batch
 * must continue the chain without a gap and is written atomically.
 */
package io.weft.store;
