package io.weft.chain;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.proto.chain.Authority;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.CommitVote;
import io.weft.proto.chain.Committee;
import io.weft.proto.chain.Genesis;
import io.weft.proto.chain.SignedBlock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The deterministic core of {@link ChainBuilder}: keeps only the frontier (the highest commit,
 * its digest and its blocks' refs) and produces the next commit with its blocks. Not
 * thread-safe.
 */
final class ChainGenerator {

  /** One produced commit: its bytes, the blocks it orders and, at an epoch end, closing blocks. */
  record Step(VerifiedCommit commit, List<VerifiedBlock> blocks, List<VerifiedBlock> closing) {
  }

  private final ChainSettings settings;
  private long highest;
  private Digest lastDigest;
  private List<BlockRef> lastRefs;
  private List<VerifiedBlock> nextRound;
  private List<VerifiedBlock> closing;
  private long keysEpoch = -1;
  private NetworkKey[] keys;

  ChainGenerator(ChainSettings settings, long highest, Digest lastDigest, List<BlockRef> lastRefs,
      List<VerifiedBlock> closing) {
    this.settings = settings;
    this.highest = highest;
    this.lastDigest = lastDigest;
    this.lastRefs = List.copyOf(lastRefs);
    this.closing = closing;
  }

  /** The genesis of a chain with these settings. */
  static Genesis genesis(ChainSettings settings) {
    Committee first = committee(settings, 0);
    Commit commit = Commit.newBuilder()
        .setIndex(0)
        .setEpoch(0)
        .setTimestampMs(settings.genesisTimestampMs())
        .setCommitteeDigest(com.google.protobuf.ByteString.copyFrom(
            Digests.blake2b256(first.toByteArray()).toBytes()))
        .build();
    return Genesis.newBuilder()
        .setCommittee(first)
        .setCommit(commit.toByteString())
        .build();
  }

  /** The committee of {@code epoch}: every stake 1, keys derived from the seed. */
  static Committee committee(ChainSettings settings, long epoch) {
    Committee.Builder committee = Committee.newBuilder().setEpoch(epoch);
    for (int author = 0; author < settings.committeeSize(); author++) {
      committee.addAuthorities(Authority.newBuilder()
          .setStake(1)
          .setProtocolKey(ByteString.copyFrom(key(settings, epoch, author).publicKey()))
          .setName("authority-" + author));
    }
    return committee.build();
  }

  /** The protocol key of {@code author} in {@code epoch}: a seeded Random's 32 bytes. */
  static NetworkKey key(ChainSettings settings, long epoch, int author) {
    byte[] seed = new byte[NetworkKey.SEED_LENGTH];
    new Random(settings.mix(1, epoch, author)).nextBytes(seed);
    return NetworkKey.fromSeed(seed);
  }

  ChainSettings settings() {
    return settings;
  }

  long highest() {
    return highest;
  }

  Digest lastDigest() {
    return lastDigest;
  }

  /** Blocks that vote for the highest commit within its epoch (empty for genesis). */
  List<VerifiedBlock> pendingCertifiers() {
    if (highest == 0) {
      return List.of();
    }
    if (closing != null) {
      return closing;
    }
    return nextRound();
  }

  /** Produces commit {@code highest + 1}. */
  Step next() {
    List<VerifiedBlock> blocks = nextRound();
    long index = highest + 1;
    long epoch = settings.epochOf(index);
    List<BlockRef> refs = new ArrayList<>(blocks.size());
    for (VerifiedBlock block : blocks) {
      refs.add(block.ref());
    }
    List<BlockRef> listed = new ArrayList<>(refs);
    if (settings.blockRefMismatchAt().contains(index)) {
      int last = listed.size() - 1;
      byte[] digest = listed.get(last).getDigest().toByteArray();
      digest[0] ^= 1;
      listed.set(last, listed.get(last).toBuilder().setDigest(ByteString.copyFrom(digest)).build());
    }
    Digest previous = settings.wrongPreviousDigestAt().contains(index)
        ? Digests.blake2b256(("weft-wrong-previous-" + index).getBytes(StandardCharsets.US_ASCII))
        : lastDigest;
    Commit commit = Commit.newBuilder()
        .setIndex(index)
        .setPreviousDigest(ByteString.copyFrom(previous.toBytes()))
        .setLeader(listed.get(0))
        .addAllBlocks(listed)
        .setEpoch(settings.wrongEpochAt().contains(index) ? epoch + 1 : epoch)
        .setTimestampMs(settings.genesisTimestampMs() + index * 1000)
        .build();
    byte[] bytes = commit.toByteArray();
    VerifiedCommit verified = new VerifiedCommit(index, Commits.digest(bytes), commit, bytes);
    highest = index;
    lastDigest = verified.digest();
    lastRefs = refs;
    nextRound = null;
    closing = settings.endsEpoch(index) ? round(index + 1, epoch, false) : null;
    return new Step(verified, blocks, closing);
  }

  private List<VerifiedBlock> nextRound() {
    if (nextRound == null) {
      long round = highest + 1;
      nextRound = round(round, settings.epochOf(round), true);
    }
    return nextRound;
  }

  /**
   * The blocks of {@code round} in {@code epoch}: ordered ones (for commit {@code round}), or
   * closing ones (round k+1 of epoch e, certifying the epoch's last commit k).
   */
  private List<VerifiedBlock> round(long round, long epoch, boolean ordered) {
    long voteFor = round - 1;
    boolean certifiers = ordered ? !settings.endsEpoch(voteFor) : true;
    boolean fewVotes = certifiers && settings.noQuorumAt().contains(voteFor);
    NetworkKey[] authors = keys(epoch);
    List<VerifiedBlock> blocks = new ArrayList<>(settings.blocksPerCommit());
    for (int author = 0; author < settings.blocksPerCommit(); author++) {
      Block.Builder block = Block.newBuilder()
          .setEpoch(epoch)
          .setRound(round)
          .setAuthor(author)
          .setTimestampMs(settings.genesisTimestampMs() + round * 1000 + author);
      if (round >= 2) {
        block.addAllAncestors(lastRefs);
        // With few votes, only author 0 votes, and only if its stake alone misses the quorum.
        if (!fewVotes || (author == 0 && settings.committeeSize() * 2 / 3 + 1 > 1)) {
          block.addCommitVotes(CommitVote.newBuilder()
              .setIndex(voteFor)
              .setDigest(ByteString.copyFrom(lastDigest.toBytes())));
        }
      }
      if (settings.payloadBytes() > 0) {
        byte[] payload = new byte[settings.payloadBytes()];
        new Random(settings.mix(2, round, author)).nextBytes(payload);
        block.setPayload(ByteString.copyFrom(payload));
      }
      if (ordered && author == 0 && settings.endsEpoch(round)) {
        block.setNextCommittee(committee(settings, epoch + 1));
      }
      Block built = block.build();
      SignedBlock signed = Blocks.sign(authors[author], built);
      if (ordered && author == settings.blocksPerCommit() - 1
          && settings.forgeSignatureAt().contains(round)) {
        byte[] signature = signed.getSignature().toByteArray();
        signature[0] ^= 1;
        signed = signed.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
      }
      byte[] bytes = signed.toByteArray();
      BlockRef ref = BlockRefs.of(round, author, Digests.blake2b256(bytes));
      blocks.add(new VerifiedBlock(ref, built, bytes));
    }
    return List.copyOf(blocks);
  }

  private NetworkKey[] keys(long epoch) {
    if (keysEpoch != epoch) {
      NetworkKey[] derived = new NetworkKey[settings.committeeSize()];
      for (int author = 0; author < derived.length; author++) {
        derived[author] = key(settings, epoch, author);
      }
      keys = derived;
      keysEpoch = epoch;
    }
    return keys;
  }
}
