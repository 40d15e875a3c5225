package io.weft.sync;

import io.weft.chain.BlockRefs;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.chain.Digests;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.Committee;
import io.weft.proto.chain.Genesis;
import io.weft.store.ChainReader;
import io.weft.store.ChainStore;
import io.weft.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sync resumes, read from the store (blocking, on the store thread): the chain's genesis,
 * the highest synced commit and its digest, the lowest available one, and every committee the
 * store holds. An empty store is first given the configured genesis. {@link #read} works on any
 * {@link ChainReader} (the simulator's in-memory stores too).
 */
public record StartState(Digest genesis, long highestSynced, Digest highestDigest, long lowestAvailable,
    Map<Long, CommitteeView> committees) {

  static StartState load(ChainStore store, Genesis configured) throws Exception {
    if (store.genesisDigest().isEmpty()) {
      if (configured == null) {
        throw new StoreException("the store is empty and no genesis is configured (see `weft genesis`)");
      }
      byte[] commit = configured.getCommit().toByteArray();
      store.initGenesis(commit, Digests.blake2b256(commit).toBytes(), configured.getCommittee().toByteArray());
    } else if (configured != null) {
      byte[] commit = configured.getCommit().toByteArray();
      Digest wanted = Digests.blake2b256(commit);
      Digest held = Digest.of(store.genesisDigest().get());
      if (!held.equals(wanted)) {
        throw new StoreException("the store holds chain " + held.shortHex() + ", the config names chain "
            + wanted.shortHex());
      }
    }
    return read(store);
  }

  /** Where sync resumes on a store that holds genesis. */
  public static StartState read(ChainReader store) throws Exception {
    long highest = store.highestSynced();
    byte[] top = store.commit(highest).orElseThrow(() -> new StoreException("commit " + highest + " is missing"));
    Map<Long, CommitteeView> committees = new HashMap<>();
    long topEpoch = Commit.parseFrom(top).getEpoch();
    for (long epoch = 0; epoch <= topEpoch + 1; epoch++) {
      Optional<byte[]> committee = store.committee(epoch);
      if (committee.isPresent()) {
        committees.put(epoch, CommitteeView.of(Committee.parseFrom(committee.get())));
      }
    }
    return new StartState(Digest.of(store.genesisDigest().get()), highest, Digests.blake2b256(top),
        store.lowestAvailable(), committees);
  }

  /** Commit {@code index} with its blocks, for an executor recovering a gap. */
  static Optional<SubDagMessage> subDag(ChainStore store, long index) throws Exception {
    Optional<byte[]> commit = store.commit(index);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    List<byte[]> keys = new ArrayList<>();
    for (BlockRef ref : Commit.parseFrom(commit.get()).getBlocksList()) {
      keys.add(BlockRefs.key(ref));
    }
    return Optional.of(new SubDagMessage(index, commit.get(), store.blocks(keys)));
  }
}
