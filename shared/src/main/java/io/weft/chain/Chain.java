package io.weft.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.crypto.NetworkKey;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Genesis;
import io.weft.proto.chain.SignedBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An immutable chain made by {@link ChainBuilder#build(int)}: genesis (commit 0), commits
 * {@code 1..size()-1}, the blocks each orders, the closing blocks of every finished epoch and the
 * committees. Stored compactly as exact bytes; {@link VerifiedCommit}s and {@link VerifiedBlock}s
 * are parsed on demand (their signatures are not re-checked). Thread-safe.
 */
public final class Chain {

  /** The blocks of one round, as refs and exact bytes. */
  record Round(BlockRef[] refs, byte[][] bytes) {

    static Round of(List<VerifiedBlock> blocks) {
      BlockRef[] refs = new BlockRef[blocks.size()];
      byte[][] bytes = new byte[blocks.size()][];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = blocks.get(i).ref();
        bytes[i] = blocks.get(i).bytes();
      }
      return new Round(refs, bytes);
    }

    List<VerifiedBlock> blocks() {
      List<VerifiedBlock> blocks = new ArrayList<>(refs.length);
      for (int i = 0; i < refs.length; i++) {
        try {
          Block block = Block.parseFrom(SignedBlock.parseFrom(bytes[i]).getBlock());
          blocks.add(new VerifiedBlock(refs[i], block, bytes[i].clone()));
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("stored block " + BlockRefs.describe(refs[i])
              + " does not parse", e);
        }
      }
      return List.copyOf(blocks);
    }
  }

  private static final Round NONE = new Round(new BlockRef[0], new byte[0][]);

  private final ChainSettings settings;
  private final Genesis genesis;
  private final byte[][] commits;
  private final Digest[] digests;
  private final Round[] rounds;
  private final Map<Long, Round> closing;
  private final List<CommitteeView> committees;

  Chain(ChainSettings settings, Genesis genesis, byte[][] commits, Digest[] digests,
      Round[] rounds, Map<Long, Round> closing, List<CommitteeView> committees) {
    this.settings = settings;
    this.genesis = genesis;
    this.commits = commits;
    this.digests = digests;
    this.rounds = rounds;
    this.closing = Map.copyOf(closing);
    this.committees = List.copyOf(committees);
  }

  ChainSettings settings() {
    return settings;
  }

  /** The genesis: the epoch 0 committee and commit 0's bytes. */
  public Genesis genesis() {
    return genesis;
  }

  /** The digest of commit 0's bytes, which identifies the chain. */
  public Digest genesisDigest() {
    return digests[0];
  }

  /** Number of commits, genesis included; the tip is {@code size() - 1}. */
  public int size() {
    return commits.length;
  }

  /** The highest commit index. */
  public long tip() {
    return commits.length - 1;
  }

  /**
   * The committee of {@code epoch}: epochs {@code 0..epochOf(tip)}, plus the next one when the
   * tip ends an epoch (its leader block announced it).
   *
   * @throws IllegalArgumentException for any other epoch
   */
  public CommitteeView committee(long epoch) {
    if (epoch < 0 || epoch >= committees.size()) {
      throw new IllegalArgumentException("this chain has no committee for epoch " + epoch
          + " (it knows epochs 0.." + (committees.size() - 1) + ")");
    }
    return committees.get((int) epoch);
  }

  /**
   * The secret protocol key of {@code author} in {@code epoch} (a fixture may sign for anyone).
   *
   * @throws IllegalArgumentException for an unknown epoch or author
   */
  public NetworkKey authorKey(long epoch, int author) {
    CommitteeView committee = committee(epoch);
    if (author < 0 || author >= committee.size()) {
      throw new IllegalArgumentException("epoch " + epoch + " has no author " + author);
    }
    return ChainGenerator.key(settings, epoch, author);
  }

  /** A copy of commit {@code index}'s exact bytes. */
  public byte[] commitBytes(long index) {
    return commits[check(index)].clone();
  }

  /** Commit {@code index}, parsed. */
  public VerifiedCommit commit(long index) {
    int i = check(index);
    try {
      return Commits.parse(commits[i].clone());
    } catch (ChainVerificationException e) {
      throw new IllegalStateException("stored commit " + index + " does not parse", e);
    }
  }

  /** The digest of commit {@code index}'s bytes. */
  public Digest digest(long index) {
    return digests[check(index)];
  }

  /** The blocks commit {@code index} orders, leader first (none for genesis). */
  public List<VerifiedBlock> blocksOf(long index) {
    return rounds[check(index)].blocks();
  }

  /**
   * The blocks voting for commit {@code index} within its epoch: the next commit's blocks, or
   * the closing blocks when {@code index} ends an epoch. Empty for genesis and for the tip
   * (unless the tip ends an epoch: its closing blocks exist).
   */
  public List<VerifiedBlock> certifiersOf(long index) {
    int i = check(index);
    if (i == 0) {
      return List.of();
    }
    Round round = closing.get(index);
    if (round != null) {
      return round.blocks();
    }
    return i + 1 < rounds.length ? rounds[i + 1].blocks() : List.of();
  }

  /** The epoch of commit {@code index} by the schedule (0 for genesis and 1..L). */
  public long epochOf(long index) {
    return settings.epochOf(index);
  }

  /** The last commit index of {@code epoch} by the schedule, {@code (epoch + 1) * L}; it may lie
   * beyond the tip. */
  public long lastIndexOfEpoch(long epoch) {
    return settings.lastIndexOfEpoch(epoch);
  }

  /** Commit {@code index} with the blocks it orders. */
  public CommittedSubDag subDag(long index) {
    return new CommittedSubDag(commit(index), blocksOf(index));
  }

  /** The refs of the blocks commit {@code index} orders, as built (not as the commit lists). */
  List<BlockRef> refsOf(long index) {
    return List.of(rounds[check(index)].refs());
  }

  private int check(long index) {
    if (index < 0 || index >= commits.length) {
      throw new IndexOutOfBoundsException("commit " + index + " is not in this chain (0.."
          + (commits.length - 1) + ")");
    }
    return (int) index;
  }

  static Round none() {
    return NONE;
  }

  @Override
  public String toString() {
    return "Chain[" + commits.length + " commits, genesis " + digests[0].shortHex() + ", tip "
        + digests[commits.length - 1].shortHex() + "]";
  }
}
