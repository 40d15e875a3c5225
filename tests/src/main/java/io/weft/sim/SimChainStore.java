package io.weft.sim;

import io.weft.state.ByteKey;
import io.weft.store.ApplyBatch;
import io.weft.store.ChainReader;
import io.weft.store.ChainStore;
import io.weft.store.ChainWriter;
import io.weft.store.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated node's chain store, in memory, with {@link ChainStore}'s contract: genesis first,
 * then batches whose commits start right after the highest held (else refused, nothing written);
 * reads as {@link ChainReader} so the node serves through the production serving rules. It
 * survives its node's crash and restart, like the RocksDB store on disk. Byte arrays are interned
 * in a {@link SimBytes} shared by all nodes.
 */
final class SimChainStore implements ChainReader, ChainWriter {

  private final SimBytes pool;
  private final List<byte[]> commits = new ArrayList<>();
  private final Map<ByteKey, Long> indexOfDigest = new HashMap<>();
  private final Map<ByteKey, byte[]> blocks = new HashMap<>();
  private final Map<Long, List<ByteKey>> certifiers = new HashMap<>();
  private final Map<Long, byte[]> committees = new HashMap<>();
  private byte[] genesisDigest;

  SimChainStore(SimBytes pool) {
    this.pool = pool;
  }

  @Override
  public long highestSynced() {
    return commits.size() - 1;
  }

  @Override
  public long lowestAvailable() {
    return commits.isEmpty() ? -1 : 0;
  }

  @Override
  public Optional<byte[]> genesisDigest() {
    return Optional.ofNullable(genesisDigest).map(byte[]::clone);
  }

  @Override
  public void initGenesis(byte[] commit, byte[] digest, byte[] committee) throws StoreException {
    if (genesisDigest != null) {
      if (Arrays.equals(genesisDigest, digest)) {
        return;
      }
      throw new StoreException("simulated store holds another chain");
    }
    genesisDigest = digest.clone();
    commits.add(pool.intern(commit));
    indexOfDigest.put(pool.key(digest), 0L);
    committees.put(0L, pool.intern(committee));
  }

  @Override
  public void apply(ApplyBatch batch) throws StoreException {
    if (genesisDigest == null) {
      throw new StoreException("simulated store has no genesis: cannot apply a batch");
    }
    long expected = highestSynced() + 1;
    for (ApplyBatch.CommitEntry c : batch.commits()) {
      if (c.index() != expected) {
        throw new StoreException("simulated store refused a batch: commit " + c.index() + " where "
            + expected + " was expected (highest synced " + highestSynced() + ")");
      }
      expected++;
    }
    for (ApplyBatch.CommitEntry c : batch.commits()) {
      commits.add(pool.intern(c.bytes()));
      indexOfDigest.put(pool.key(c.digest()), c.index());
    }
    for (ApplyBatch.BlockEntry b : batch.blocks()) {
      blocks.put(pool.key(b.refKey()), pool.intern(b.bytes()));
    }
    for (ApplyBatch.CertifierEntry c : batch.certifiers()) {
      List<ByteKey> keys = certifiers.computeIfAbsent(c.commitIndex(), i -> new ArrayList<>(4));
      ByteKey key = pool.key(c.refKey());
      if (!keys.contains(key)) {
        keys.add(key);
      }
    }
    for (ApplyBatch.CommitteeEntry c : batch.committees()) {
      committees.put(c.epoch(), pool.intern(c.bytes()));
    }
  }

  @Override
  public Optional<byte[]> commit(long index) {
    return index < 0 || index >= commits.size() ? Optional.empty() : Optional.of(commits.get((int) index));
  }

  @Override
  public List<byte[]> commits(long from, long toInclusive) {
    List<byte[]> out = new ArrayList<>();
    long last = Math.min(Math.min(toInclusive, highestSynced()), from + ChainStore.MAX_COMMITS_PER_READ - 1);
    for (long i = Math.max(0, from); i <= last; i++) {
      out.add(commits.get((int) i));
    }
    return out;
  }

  @Override
  public Optional<Long> indexOf(byte[] digest) {
    return Optional.ofNullable(indexOfDigest.get(ByteKey.of(digest)));
  }

  @Override
  public List<byte[]> blocks(List<byte[]> refKeys) {
    List<byte[]> out = new ArrayList<>(refKeys.size());
    for (byte[] key : refKeys) {
      byte[] block = blocks.get(ByteKey.of(key));
      if (block != null) {
        out.add(block);
      }
    }
    return out;
  }

  @Override
  public List<byte[]> certifierBlocks(long commitIndex) {
    List<byte[]> out = new ArrayList<>();
    for (ByteKey key : certifiers.getOrDefault(commitIndex, List.of())) {
      byte[] block = blocks.get(key);
      if (block != null) {
        out.add(block);
      }
    }
    return out;
  }

  @Override
  public Optional<byte[]> committee(long epoch) {
    return Optional.ofNullable(committees.get(epoch));
  }
}
