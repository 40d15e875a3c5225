package io.weft.chain;

import io.weft.proto.chain.Genesis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds deterministic chains for tests, devnets and benchmarks: the same settings give
 * byte-identical chains (keys come from {@code NetworkKey.fromSeed} of a seeded {@code Random},
 * timestamps from the index, never the clock: commit {@code i} is {@code i} seconds after
 * genesis, whose timestamp is a seed-derived instant in November 2023 so that chains of
 * different seeds have different genesis digests).
 *
 * <p>Commit {@code i >= 1} has round {@code i} and orders one block from each of authors
 * {@code 0..blocksPerCommit-1} (the leader is author 0's). A block of round {@code i} lists the
 * refs of round {@code i-1} as ancestors and, from round 2, votes for commit {@code i-1}. Commits
 * {@code 1..L} are epoch 0, {@code L+1..2L} epoch 1, and so on; the leader of an epoch's last
 * commit carries the next committee (fresh keys). The last commit {@code k} of each epoch also
 * gets closing blocks (round {@code k+1}, its own epoch, voting for {@code k}) that no commit
 * orders. Every committee has stake 1 per authority, so commits are certified only when
 * {@code blocksPerCommit} reaches the quorum.
 *
 * <p>Bad variants break one commit each, for rejection tests. Builders are not thread-safe;
 * the chains they build are immutable.
 */
public final class ChainBuilder {

  private int committeeSize = 4;
  private int epochLength = 1000;
  private int blocksPerCommit = 4;
  private int payloadBytes = 64;
  private long seed = 1;
  private final Set<Long> forgeSignatureAt = new HashSet<>();
  private final Set<Long> wrongPreviousDigestAt = new HashSet<>();
  private final Set<Long> noQuorumAt = new HashSet<>();
  private final Set<Long> blockRefMismatchAt = new HashSet<>();
  private final Set<Long> wrongEpochAt = new HashSet<>();

  /** A builder with the defaults: 4 authorities, epochs of 1000, 4 blocks of 64 B, seed 1. */
  public ChainBuilder() {
  }

  /** Same as {@code new ChainBuilder()}. */
  public static ChainBuilder create() {
    return new ChainBuilder();
  }

  /** Authorities per committee (default 4). */
  public ChainBuilder committeeSize(int size) {
    this.committeeSize = size;
    return this;
  }

  /** Commits per epoch (default 1000). */
  public ChainBuilder epochLength(int commits) {
    this.epochLength = commits;
    return this;
  }

  /** Blocks each commit orders, from authors 0.. (default 4; at most the committee size). */
  public ChainBuilder blocksPerCommit(int blocks) {
    this.blocksPerCommit = blocks;
    return this;
  }

  /** Random payload bytes per block (default 64). */
  public ChainBuilder payloadBytes(int bytes) {
    this.payloadBytes = bytes;
    return this;
  }

  /** The seed of every key and payload (default 1). */
  public ChainBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The last block commit {@code index} orders gets a corrupted signature. */
  public ChainBuilder forgeSignatureAt(long index) {
    forgeSignatureAt.add(index);
    return this;
  }

  /** Commit {@code index} carries a previous digest that is not commit {@code index-1}'s. */
  public ChainBuilder wrongPreviousDigestAt(long index) {
    wrongPreviousDigestAt.add(index);
    return this;
  }

  /**
   * Of the blocks certifying commit {@code index} (the next commit's, or the closing blocks at
   * an epoch's end) only author 0's votes for it, which misses the quorum; they stay validly
   * signed.
   */
  public ChainBuilder noQuorumAt(long index) {
    noQuorumAt.add(index);
    return this;
  }

  /** Commit {@code index} lists its last block under a ref whose digest is off by one bit. */
  public ChainBuilder blockRefMismatchAt(long index) {
    blockRefMismatchAt.add(index);
    return this;
  }

  /** Commit {@code index} states the epoch after its own. */
  public ChainBuilder wrongEpochAt(long index) {
    wrongEpochAt.add(index);
    return this;
  }

  /**
   * Builds genesis and commits {@code 1..commits}; the chain's {@link Chain#size()} is
   * {@code commits + 1}.
   *
   * @throws IllegalArgumentException for invalid settings or a negative count
   */
  public Chain build(int commits) {
    if (commits < 0) {
      throw new IllegalArgumentException("cannot build " + commits + " commits");
    }
    ChainSettings settings = settings();
    Genesis genesis = ChainGenerator.genesis(settings);
    byte[][] bytes = new byte[commits + 1][];
    Digest[] digests = new Digest[commits + 1];
    Chain.Round[] rounds = new Chain.Round[commits + 1];
    Map<Long, Chain.Round> closing = new HashMap<>();
    List<CommitteeView> committees = new ArrayList<>();
    committees.add(CommitteeView.of(genesis.getCommittee()));
    bytes[0] = genesis.getCommit().toByteArray();
    digests[0] = Commits.digest(bytes[0]);
    rounds[0] = Chain.none();
    ChainGenerator generator = new ChainGenerator(settings, 0, digests[0], List.of(), null);
    for (int i = 1; i <= commits; i++) {
      ChainGenerator.Step step = generator.next();
      bytes[i] = step.commit().bytes();
      digests[i] = step.commit().digest();
      rounds[i] = Chain.Round.of(step.blocks());
      if (step.closing() != null) {
        closing.put((long) i, Chain.Round.of(step.closing()));
        committees.add(CommitteeView.of(step.blocks().get(0).block().getNextCommittee()));
      }
    }
    return new Chain(settings, genesis, bytes, digests, rounds, closing, committees);
  }

  /** A producer starting at genesis of the chain these settings describe. */
  public Producer producer() {
    ChainSettings settings = settings();
    Digest genesis = Commits.digest(ChainGenerator.genesis(settings).getCommit().toByteArray());
    return new Producer(new ChainGenerator(settings, 0, genesis, List.of(), null));
  }

  /**
   * A producer continuing {@code existing} after its tip. Payload size, blocks per commit and
   * bad variants are this builder's.
   *
   * @throws IllegalArgumentException unless {@code existing} was built with this builder's
   *     seed, committee size and epoch length (they define its keys and epochs)
   */
  public Producer producer(Chain existing) {
    ChainSettings settings = settings();
    if (!settings.sameChainAs(existing.settings())) {
      throw new IllegalArgumentException("the chain was built with seed "
          + existing.settings().seed() + ", committee size "
          + existing.settings().committeeSize() + " and epoch length "
          + existing.settings().epochLength() + "; this builder has " + seed + ", "
          + committeeSize + " and " + epochLength);
    }
    long tip = existing.tip();
    List<VerifiedBlock> closing = tip > 0 && settings.endsEpoch(tip)
        ? existing.certifiersOf(tip) : null;
    return new Producer(new ChainGenerator(settings, tip, existing.digest(tip),
        existing.refsOf(tip), closing));
  }

  private ChainSettings settings() {
    return new ChainSettings(committeeSize, epochLength, blocksPerCommit, payloadBytes, seed,
        forgeSignatureAt, wrongPreviousDigestAt, noQuorumAt, blockRefMismatchAt, wrongEpochAt);
  }

  /**
   * Produces commits one at a time, as a devnet's local consensus would, keeping only the
   * frontier in memory. Not thread-safe.
   */
  public static final class Producer {

    private final ChainGenerator generator;

    private Producer(ChainGenerator generator) {
      this.generator = generator;
    }

    /** Builds commit {@link #highestIndex()} + 1 with the blocks it orders. */
    public CommittedSubDag next() {
      ChainGenerator.Step step = generator.next();
      return new CommittedSubDag(step.commit(), step.blocks());
    }

    /**
     * The blocks that vote for the last produced commit within its epoch: those the next
     * commit will order, or the closing blocks when the last commit ends an epoch. Empty at
     * genesis.
     */
    public List<VerifiedBlock> pendingCertifiers() {
      return generator.pendingCertifiers();
    }

    /** The index of the last produced commit (the start's tip before any). */
    public long highestIndex() {
      return generator.highest();
    }

    /** The digest of the last produced commit's bytes. */
    public Digest lastDigest() {
      return generator.lastDigest();
    }

    /** The committee of {@code epoch} (derived from the seed; any epoch). */
    public CommitteeView committee(long epoch) {
      return CommitteeView.of(ChainGenerator.committee(generator.settings(), epoch));
    }
  }
}
