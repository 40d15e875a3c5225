package io.weft.sync;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.chain.Digests;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.CommitVote;
import io.weft.proto.chain.Committee;
import io.weft.proto.chain.SignedBlock;
import io.weft.store.ChainReader;
import io.weft.store.ChainStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store reads behind the sync RPCs, run on the worker pool. {@link #certifiedRange} applies
 * the serving rules: at most 100 commits, cut at the end of the first commit's epoch, trailing
 * commits dropped until the last one has a quorum of votes, and the blocks carrying those votes.
 * The rules read a {@link ChainReader}, so the simulator serves from memory by the same code.
 */
public final class CommitServing {

  /** Most commits one FetchCommits returns (reference cap). */
  public static final int MAX_COMMITS_PER_FETCH = 100;

  private final Vertx vertx;
  private final ChainStore store;

  public CommitServing(Vertx vertx, ChainStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  Future<Optional<byte[]>> commit(long index) {
    return vertx.executeBlocking(() -> store.commit(index), false);
  }

  Future<Optional<Long>> indexOf(byte[] digest) {
    return vertx.executeBlocking(() -> store.indexOf(digest), false);
  }

  Future<List<byte[]>> blocks(List<byte[]> keys) {
    return vertx.executeBlocking(() -> store.blocks(keys), false);
  }

  Future<FetchCommitsResponse> certifiedRange(long start, long last) {
    return vertx.executeBlocking(() -> readCertifiedRange(store, start, last), false);
  }

  public static FetchCommitsResponse readCertifiedRange(ChainReader store, long start, long last) throws Exception {
    List<byte[]> commits = new ArrayList<>(store.commits(start, last));
    if (commits.isEmpty()) {
      return FetchCommitsResponse.getDefaultInstance();
    }
    long epoch = Commit.parseFrom(commits.get(0)).getEpoch();
    for (int i = 1; i < commits.size(); i++) {
      if (Commit.parseFrom(commits.get(i)).getEpoch() != epoch) {
        commits = new ArrayList<>(commits.subList(0, i));
        break;
      }
    }
    Optional<byte[]> committeeBytes = store.committee(epoch);
    if (committeeBytes.isEmpty()) {
      return FetchCommitsResponse.getDefaultInstance();
    }
    CommitteeView committee = CommitteeView.of(Committee.parseFrom(committeeBytes.get()));
    while (!commits.isEmpty()) {
      byte[] lastBytes = commits.get(commits.size() - 1);
      long index = start + commits.size() - 1;
      List<byte[]> votes = votesFor(store, index, Digests.blake2b256(lastBytes), committee);
      if (!votes.isEmpty()) {
        FetchCommitsResponse.Builder response = FetchCommitsResponse.newBuilder();
        commits.forEach(c -> response.addCommits(ByteString.copyFrom(c)));
        votes.forEach(b -> response.addCertifierBlocks(ByteString.copyFrom(b)));
        return response.build();
      }
      commits.remove(commits.size() - 1);
    }
    return FetchCommitsResponse.getDefaultInstance();
  }

  /** The stored blocks voting for (index, digest), when their distinct authors reach quorum; else none. */
  private static List<byte[]> votesFor(ChainReader store, long index, Digest digest, CommitteeView committee)
      throws InvalidProtocolBufferException, io.weft.store.StoreException {
    List<byte[]> voting = new ArrayList<>();
    Set<Integer> authors = new HashSet<>();
    long stake = 0;
    ByteString wanted = ByteString.copyFrom(digest.toBytes());
    for (byte[] bytes : store.certifierBlocks(index)) {
      Block block = Block.parseFrom(SignedBlock.parseFrom(bytes).getBlock());
      if (block.getEpoch() != committee.epoch() || block.getAuthor() >= committee.size()) {
        continue;
      }
      for (CommitVote vote : block.getCommitVotesList()) {
        if (vote.getIndex() == index && vote.getDigest().equals(wanted)) {
          voting.add(bytes);
          if (authors.add(block.getAuthor())) {
            stake += committee.stake(block.getAuthor());
          }
          break;
        }
      }
    }
    return committee.reachesQuorum(stake) ? voting : List.of();
  }
}
