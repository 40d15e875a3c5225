package io.weft.store;

import static io.weft.store.StoreKeys.hex;
import static io.weft.store.StoreKeys.longKey;
import static io.weft.store.StoreKeys.readLong;

import io.weft.store.ApplyBatch.CommitEntry;
import io.weft.store.ApplyBatch.CommitteeEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's chain on disk (RocksDB): commits by index and by digest, signed blocks by ref key,
 * the blocks certifying each commit, committees by epoch, and the sync position.
 *
 * <p><b>Every method is blocking</b> (disk I/O, synced WAL writes): call it from a worker
 * ({@code executeBlocking} or a worker verticle), never from an event loop.
 *
 * <p>Thread-safe. Writers ({@link #initGenesis}, {@link #apply}) are serialized, so the
 * contiguity check and the write are one step; each write is one atomic, synced {@code WriteBatch}.
 * Invariant: commits 0..{@link #highestSynced()} are all present and nothing above is, so the store
 * never holds a commit whose predecessor is missing. {@link #close()} waits for calls in flight;
 * later calls fail with "closed".
 */
public final class ChainStore implements ChainReader, ChainWriter, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChainStore.class);
  /** Most commits returned by one {@link #commits(long, long)} call. */
  public static final int MAX_COMMITS_PER_READ = 1000;

  private final Path dir;
  private final StoreHandles h;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final ReentrantLock writer = new ReentrantLock();
  private volatile long highestSynced;
  private volatile long lowestAvailable;
  private volatile byte[] genesisDigest;
  private boolean closed;

  private ChainStore(Path dir, StoreHandles handles) throws RocksDBException {
    this.dir = dir;
    this.h = handles;
    byte[] highest = h.db.get(h.meta, StoreKeys.HIGHEST_SYNCED);
    byte[] lowest = h.db.get(h.meta, StoreKeys.LOWEST_AVAILABLE);
    this.highestSynced = highest == null ? -1 : readLong(highest);
    this.lowestAvailable = lowest == null ? -1 : readLong(lowest);
    this.genesisDigest = h.db.get(h.meta, StoreKeys.GENESIS_DIGEST);
  }

  /** Opens the store in {@code dir}, creating the directory and database if missing. */
  public static ChainStore open(Path dir) throws StoreException {
    StoreHandles handles = StoreHandles.open(dir);
    try {
      ChainStore store = new ChainStore(dir, handles);
      long highest = store.highestSynced;
      if (highest >= 0 && (handles.db.get(handles.commits, longKey(highest)) == null
          || handles.db.get(handles.commits, longKey(highest + 1)) != null)) {
        throw new StoreException("store at " + dir + " is damaged: commits do not end at highest synced "
            + highest);
      }
      LOG.info("opened chain store {} (highest synced {}, lowest available {})",
          dir, store.highestSynced, store.lowestAvailable);
      return store;
    } catch (RocksDBException | RuntimeException | StoreException e) {
      handles.close();
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot read store at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The store's directory. */
  public Path dir() {
    return dir;
  }

  /** Index of the highest commit held (all below it are held too); −1 before genesis. */
  @Override
  public long highestSynced() {
    return highestSynced;
  }

  /** Index of the lowest commit held; −1 before genesis. */
  @Override
  public long lowestAvailable() {
    return lowestAvailable;
  }

  /** Digest of commit 0, which identifies the chain; empty before genesis. */
  @Override
  public Optional<byte[]> genesisDigest() {
    byte[] digest = genesisDigest;
    return digest == null ? Optional.empty() : Optional.of(digest.clone());
  }

  /** The exact bytes of commit {@code index}. */
  @Override
  public Optional<byte[]> commit(long index) throws StoreException {
    if (index < 0) {
      return Optional.empty();
    }
    return read("commit " + index, () -> Optional.ofNullable(h.db.get(h.commits, longKey(index))));
  }

  /**
   * Commits {@code from..toInclusive} in order, stopping at the first missing one and after
   * {@link #MAX_COMMITS_PER_READ}. Empty when {@code from > toInclusive}.
   */
  @Override
  public List<byte[]> commits(long from, long toInclusive) throws StoreException {
    StoreKeys.requireNonNegative("from", from);
    if (from > toInclusive) {
      return List.of();
    }
    long last = Math.min(toInclusive, from + MAX_COMMITS_PER_READ - 1);
    return read("commits " + from + ".." + last, () -> StoreScans.commitRange(h, from, last));
  }

  /** The index of the commit with this digest. */
  @Override
  public Optional<Long> indexOf(byte[] digest) throws StoreException {
    Objects.requireNonNull(digest, "digest");
    return read("index of " + hex(digest), () -> {
      byte[] index = h.db.get(h.commitIndex, digest);
      return index == null ? Optional.empty() : Optional.of(readLong(index));
    });
  }

  /** The signed block bytes stored under this 44-byte ref key. */
  public Optional<byte[]> block(byte[] refKey) throws StoreException {
    Objects.requireNonNull(refKey, "refKey");
    return read("block " + hex(refKey), () -> Optional.ofNullable(h.db.get(h.blocks, refKey)));
  }

  /** The blocks stored under these ref keys, in request order; missing ones are skipped. */
  @Override
  public List<byte[]> blocks(List<byte[]> refKeys) throws StoreException {
    if (refKeys.isEmpty()) {
      return List.of();
    }
    return read(refKeys.size() + " blocks", () -> StoreScans.present(h, h.blocks, refKeys));
  }

  /** The blocks indexed as certifiers (vote carriers) of commit {@code commitIndex}. *
   * <p>For an epoch's last commit this includes blocks of the next epoch that vote for it too:
   * callers keep only the blocks of the commit's own epoch.
   */
  @Override
  public List<byte[]> certifierBlocks(long commitIndex) throws StoreException {
    if (commitIndex < 0) {
      return List.of();
    }
    return read("certifiers of " + commitIndex,
        () -> StoreScans.present(h, h.blocks, StoreScans.certifierRefKeys(h, commitIndex)));
  }

  /** The serialized Committee of {@code epoch}. */
  @Override
  public Optional<byte[]> committee(long epoch) throws StoreException {
    if (epoch < 0) {
      return Optional.empty();
    }
    return read("committee " + epoch, () -> Optional.ofNullable(h.db.get(h.committees, longKey(epoch))));
  }

  /**
   * Calls {@code visitor} with every stored commit of index {@code >= from}, in index order, from
   * one consistent view. Gaps and commits above {@link #highestSynced()} (which a sound store never
   * has) are visited as found, for a checker to report. Holds off {@link #close()} while running.
   */
  public void forEachCommit(long from, BiConsumer<Long, byte[]> visitor) throws StoreException {
    StoreKeys.requireNonNegative("from", from);
    read("scan from " + from, () -> {
      StoreScans.forEachCommit(h, from, visitor);
      return null;
    });
  }

  /**
   * Writes the chain's start: commit 0, its digest, the epoch-0 committee and the sync position
   * (highest synced 0, lowest available 0), atomically. Does nothing when this genesis is already
   * there; fails when another one is.
   */
  @Override
  public void initGenesis(byte[] genesisCommitBytes, byte[] genesisDigest, byte[] committeeBytes)
      throws StoreException {
    CommitEntry commit = new CommitEntry(0, genesisDigest, genesisCommitBytes);
    CommitteeEntry committee = new CommitteeEntry(0, committeeBytes);
    write("genesis", () -> {
      byte[] existing = this.genesisDigest;
      if (existing != null) {
        if (Arrays.equals(existing, genesisDigest)) {
          LOG.debug("store at {} already holds genesis {}", dir, hex(genesisDigest));
          return;
        }
        throw new StoreException("store at " + dir + " holds another chain: genesis " + hex(existing)
            + ", not " + hex(genesisDigest));
      }
      StoreWrites.genesis(h, commit, committee);
      this.genesisDigest = genesisDigest.clone();
      this.lowestAvailable = 0;
      this.highestSynced = 0;
      LOG.info("store at {} initialised with genesis {}", dir, hex(genesisDigest));
    });
  }

  /**
   * Writes a batch atomically, the WAL synced before returning. Its commits (if any) must start at
   * {@link #highestSynced()}{@code + 1} and be contiguous, else nothing is written; the last one
   * becomes the highest synced commit. Requires genesis.
   */
  @Override
  public void apply(ApplyBatch batch) throws StoreException {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    write("apply", () -> {
      long highest = highestSynced;
      if (highest < 0) {
        throw new StoreException("store at " + dir + " has no genesis: cannot apply a batch");
      }
      highestSynced = StoreWrites.apply(h, dir, highest, batch);
    });
  }

  /**
   * Prunes: deletes commits {@code 1 .. newLowest - 1} with their blocks (commit 0, the genesis
   * anchor, stays) and makes {@code newLowest} the lowest available commit, which is then what
   * GetCommitAvailability and the signed node info advertise. Does nothing when the store is
   * already pruned that far.
   *
   * @throws StoreException when {@code newLowest} is above the highest synced commit
   */
  public void pruneBelow(long newLowest) throws StoreException {
    write("prune", () -> {
      if (newLowest > highestSynced) {
        throw new StoreException("cannot prune store at " + dir + " below " + newLowest
            + ": it holds commits only up to " + highestSynced);
      }
      if (newLowest <= lowestAvailable) {
        return;
      }
      lowestAvailable = StorePruning.prune(h, lowestAvailable, newLowest);
      LOG.info("pruned store at {}: lowest available commit is now {}", dir, newLowest);
    });
  }

  /** Closes the database (handles, then db, then options). Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        h.close();
        LOG.info("closed chain store {}", dir);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Runs a read under the lifecycle read lock, mapping RocksDB errors. */
  private <T> T read(String what, StoreOp<T> op) throws StoreException {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StoreException("store at " + dir + " is closed");
      }
      return op.run();
    } catch (RocksDBException e) {
      throw new StoreException("store at " + dir + ": " + what + " failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Runs a write with writers serialized, under the lifecycle read lock. */
  private void write(String what, WriteOp op) throws StoreException {
    writer.lock();
    try {
      read(what, () -> {
        op.run();
        return null;
      });
    } finally {
      writer.unlock();
    }
  }

  @FunctionalInterface
  private interface StoreOp<T> {
    T run() throws RocksDBException, StoreException;
  }

  @FunctionalInterface
  private interface WriteOp {
    void run() throws RocksDBException, StoreException;
  }
}
