package io.weft.store;

import static io.weft.store.StoreChecker.MAX_PROBLEMS;
import static io.weft.store.StoreChecker.RANGE;
import static io.weft.store.StoreChecker.STORE;

import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.chain.BlockRefs;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.chain.CommitVerifier;
import io.weft.chain.Commits;
import io.weft.chain.CommitteeView;
import io.weft.chain.Digest;
import io.weft.chain.Digests;
import io.weft.chain.VerifiedCommit;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Committee;
import io.weft.proto.chain.SignedBlock;
import io.weft.store.StoreChecker.Problem;
import io.weft.store.StoreChecker.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of {@link StoreChecker#check}: walks the store from genesis, collecting problems and
 * certifying ranges as it goes (see {@link StoreChecker} for the checks). Single-use, one thread.
 */
final class StoreCheckRun {

  private final ChainStore store;
  private final long highest;
  private final List<Problem> problems = new ArrayList<>();
  private int problemCount;
  private long checked;
  private long uncertifiedTip = -1;

  // the walk: the previous commit's digest, the current epoch and its committee (null: unknown)
  private Digest previous;
  private long epoch;
  private CommitteeView committee;
  /** The committee the previous commit's leader announced: it closed its epoch. */
  private CommitteeView announced;

  // the range being collected for certification
  private long rangeStart = -1;
  private Digest rangePrevious;
  private final List<byte[]> range = new ArrayList<>();
  private boolean rangeDamaged;

  StoreCheckRun(ChainStore store) {
    this.store = store;
    this.highest = store.highestSynced();
  }

  Report check() throws StoreException {
    Optional<byte[]> genesisDigest = store.genesisDigest();
    if (highest < 0 || genesisDigest.isEmpty()) {
      problem(STORE, "the store holds no genesis (nothing was ever synced into it)");
      return report();
    }
    if (store.lowestAvailable() != 0) {
      problem(STORE, "lowest available commit is " + store.lowestAvailable() + ", not 0");
    }
    long walkEnd = scanIndices();
    if (!checkGenesis(genesisDigest.get())) {
      return report();
    }
    long i = 1;
    while (i <= walkEnd) {
      List<byte[]> chunk = store.commits(i, Math.min(walkEnd, i + RANGE - 1));
      if (chunk.isEmpty()) {
        problem(i, "missing (the store changed during the check?)");
        break;
      }
      for (byte[] bytes : chunk) {
        checkCommit(i++, bytes);
      }
    }
    flush();
    return report();
  }

  /**
   * Visits every stored commit key: reports gaps below the highest synced commit and anything
   * above it. Returns the end of the contiguous prefix to walk.
   */
  private long scanIndices() throws StoreException {
    long[] expected = {0};
    long[] firstGap = {-1};
    store.forEachCommit(0, (index, bytes) -> {
      if (index > highest) {
        problem(index, "stored above the highest synced commit " + highest);
        return;
      }
      if (index != expected[0]) {
        problem(expected[0], "commits " + expected[0] + ".." + (index - 1) + " are missing"
            + " (below the highest synced commit " + highest + ")");
        if (firstGap[0] < 0) {
          firstGap[0] = expected[0];
        }
      }
      expected[0] = index + 1;
    });
    if (expected[0] <= highest) {
      problem(expected[0], "commits " + expected[0] + ".." + highest + " are missing (below the"
          + " highest synced commit)");
      if (firstGap[0] < 0) {
        firstGap[0] = expected[0];
      }
    }
    return firstGap[0] < 0 ? highest : firstGap[0] - 1;
  }

  /** Commit 0, the genesis digest and the epoch-0 committee; false when the walk cannot start. */
  private boolean checkGenesis(byte[] genesisDigest) throws StoreException {
    Optional<byte[]> bytes = store.commit(0);
    if (bytes.isEmpty()) {
      return false;
    }
    checked++;
    Digest digest = Commits.digest(bytes.get());
    if (!digest.matches(genesisDigest)) {
      problem(0, "its digest " + digest.shortHex() + " is not the store's genesis digest "
          + Digest.of(genesisDigest).shortHex());
    }
    VerifiedCommit genesis;
    try {
      genesis = Commits.parse(bytes.get());
    } catch (ChainVerificationException e) {
      problem(0, e.getMessage());
      return false;
    }
    if (genesis.index() != 0 || genesis.epoch() != 0 || genesis.commit().hasLeader()
        || genesis.commit().getBlocksCount() != 0) {
      problem(0, "not a genesis commit (index " + genesis.index() + ", epoch " + genesis.epoch()
          + ", " + genesis.commit().getBlocksCount() + " blocks)");
    }
    checkDigestIndex(0, digest);
    Optional<byte[]> committeeBytes = store.committee(0);
    if (committeeBytes.isEmpty()) {
      problem(STORE, "the committee of epoch 0 is not stored: nothing can be verified");
      return false;
    }
    CommitteeView zero = parseCommittee(0, committeeBytes.get(), 0);
    if (zero == null) {
      return false;
    }
    if (!Digests.blake2b256(committeeBytes.get()).matches(genesis.commit().getCommitteeDigest()
        .toByteArray())) {
      problem(0, "the stored epoch-0 committee is not the one genesis names (committee digest"
          + " differs)");
    }
    previous = digest;
    epoch = 0;
    committee = zero;
    return true;
  }

  private void checkCommit(long index, byte[] bytes) throws StoreException {
    checked++;
    Digest digest = Commits.digest(bytes);
    VerifiedCommit commit;
    try {
      commit = Commits.parse(bytes);
    } catch (ChainVerificationException e) {
      flush();
      problem(index, e.getMessage());
      previous = digest;
      return;
    }
    boolean damaged = false;
    if (commit.index() != index) {
      problem(index, "stored under index " + index + " but its index is "
          + Long.toUnsignedString(commit.index()));
      damaged = true;
    }
    if (!previous.matches(commit.commit().getPreviousDigest().toByteArray())) {
      problem(index, "its previous digest is not the digest " + previous.shortHex()
          + " of commit " + (index - 1) + "'s stored bytes");
      damaged = true;
    }
    checkDigestIndex(index, digest);
    damaged |= checkEpoch(index, commit.epoch()); // may certify the range so far first
    if (range.isEmpty()) {
      rangeStart = index;
      rangePrevious = previous;
    }
    range.add(bytes);
    damaged |= checkBlocks(index, commit);
    checkAnnouncement(index, commit);
    rangeDamaged |= damaged;
    previous = digest;
    if (range.size() >= RANGE) {
      flush();
    }
  }

  private void checkDigestIndex(long index, Digest digest) throws StoreException {
    Optional<Long> indexed = store.indexOf(digest.toBytes());
    if (indexed.isEmpty()) {
      problem(index, "its digest " + digest.shortHex() + " is not in the digest index");
    } else if (indexed.get() != index) {
      problem(index, "the digest index maps its digest " + digest.shortHex() + " to commit "
          + indexed.get());
    }
  }

  /** Follows the epoch; at a change, the range so far is certified and the committee switches. */
  private boolean checkEpoch(long index, long commitEpoch) throws StoreException {
    if (commitEpoch == epoch) {
      if (announced != null) {
        problem(index, "is of epoch " + epoch + " but commit " + (index - 1)
            + " closed that epoch (its leader announced the committee of epoch "
            + announced.epoch() + ")");
        return true;
      }
      return false;
    }
    flush();
    boolean damaged = false;
    if (commitEpoch == epoch + 1 && announced != null) {
      committee = announced;
    } else {
      problem(index, "is of epoch " + Long.toUnsignedString(commitEpoch) + " after a commit of"
          + " epoch " + epoch + (announced == null ? " that announced no next committee"
          : " (announced was epoch " + announced.epoch() + ")"));
      Optional<byte[]> stored = store.committee(commitEpoch);
      committee = stored.isEmpty() ? null : parseCommittee(index, stored.get(), commitEpoch);
      if (committee == null) {
        problem(index, "the committee of its epoch " + Long.toUnsignedString(commitEpoch)
            + " is not stored: its blocks and votes cannot be verified");
      }
      damaged = true;
    }
    epoch = commitEpoch;
    announced = null;
    return damaged;
  }

  private boolean checkBlocks(long index, VerifiedCommit commit) throws StoreException {
    List<BlockRef> refs = commit.commit().getBlocksList();
    List<byte[]> blocks = store.blocks(refs.stream().map(BlockRefs::key).toList());
    if (blocks.size() != refs.size()) {
      List<String> missing = new ArrayList<>();
      for (BlockRef ref : refs) {
        if (store.block(BlockRefs.key(ref)).isEmpty()) {
          missing.add(BlockRefs.describe(ref));
        }
      }
      problem(index, missing.size() + " of its " + refs.size() + " blocks are not stored: "
          + String.join(", ", missing));
      return true;
    }
    if (committee == null) {
      return true;
    }
    try {
      CommitVerifier.verifyBlocks(refs, blocks, committee);
    } catch (ChainVerificationException e) {
      problem(index, "a stored block does not verify: " + e.getMessage());
      return true;
    }
    return false;
  }

  /** When the commit's leader announces the next committee, that committee must be stored. */
  private void checkAnnouncement(long index, VerifiedCommit commit) throws StoreException {
    if (!commit.commit().hasLeader()) {
      return;
    }
    Optional<byte[]> leaderBytes = store.block(BlockRefs.key(commit.commit().getLeader()));
    if (leaderBytes.isEmpty()) {
      return; // reported with the blocks
    }
    Block leader;
    try {
      leader = Block.parseFrom(SignedBlock.parseFrom(leaderBytes.get()).getBlock());
    } catch (InvalidProtocolBufferException e) {
      return; // reported with the blocks
    }
    if (!leader.hasNextCommittee()) {
      return;
    }
    Committee next = leader.getNextCommittee();
    long nextEpoch = epoch + 1;
    if (next.getEpoch() != nextEpoch) {
      problem(index, "its leader announces a committee of epoch "
          + Long.toUnsignedString(next.getEpoch()) + " after epoch " + epoch);
      return;
    }
    CommitteeView view;
    try {
      view = CommitteeView.of(next);
    } catch (IllegalArgumentException e) {
      problem(index, "its leader announces an invalid committee: " + e.getMessage());
      return;
    }
    Optional<byte[]> stored = store.committee(nextEpoch);
    if (stored.isEmpty()) {
      problem(index, "closes epoch " + epoch + " but the committee of epoch " + nextEpoch
          + " its leader announced is not stored");
    } else {
      try {
        if (!Committee.parseFrom(stored.get()).equals(next)) {
          problem(index, "the stored committee of epoch " + nextEpoch + " is not the one its"
              + " leader announced");
        }
      } catch (InvalidProtocolBufferException e) {
        problem(STORE, "the stored committee of epoch " + nextEpoch + " does not parse: "
            + e.getMessage());
      }
    }
    announced = view;
  }

  /** Certifies the collected range (see the class comment) and starts a new one. */
  private void flush() throws StoreException {
    if (range.isEmpty()) {
      rangeDamaged = false;
      return;
    }
    List<byte[]> commits = List.copyOf(range);
    long start = rangeStart;
    Digest before = rangePrevious;
    boolean damaged = rangeDamaged;
    range.clear();
    rangeDamaged = false;
    if (damaged || committee == null) {
      return;
    }
    long end = start + commits.size() - 1;
    ChainVerificationException failure = certify(start, before, commits);
    if (failure == null) {
      return;
    }
    if (failure.reason() == Reason.NO_QUORUM && end == highest) {
      uncertifiedTip = end;
      if (commits.size() > 1) {
        failure = certify(start, before, commits.subList(0, commits.size() - 1));
        end--;
      } else {
        failure = null;
      }
    }
    if (failure != null) {
      problem(end, "commits " + start + ".." + end + " are not certified by the votes stored"
          + " for commit " + end + ": " + failure.getMessage());
    }
  }

  private ChainVerificationException certify(long start, Digest before, List<byte[]> commits)
      throws StoreException {
    long end = start + commits.size() - 1;
    List<byte[]> certifiers = new ArrayList<>();
    for (byte[] bytes : store.certifierBlocks(end)) {
      Long blockEpoch = blockEpoch(bytes);
      if (blockEpoch != null && blockEpoch != committee.epoch()) {
        continue; // a next-epoch block voting for an epoch's last commit: no evidence here
      }
      certifiers.add(bytes);
    }
    try {
      CommitVerifier.verifyRange(start, before, commits, certifiers, committee, null);
      return null;
    } catch (ChainVerificationException e) {
      return e;
    }
  }

  /** The epoch of a stored signed block, or null when it does not parse. */
  private static Long blockEpoch(byte[] bytes) {
    try {
      return Block.parseFrom(SignedBlock.parseFrom(bytes).getBlock()).getEpoch();
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private CommitteeView parseCommittee(long index, byte[] bytes, long expectedEpoch) {
    try {
      Committee parsed = Committee.parseFrom(bytes);
      if (parsed.getEpoch() != expectedEpoch) {
        problem(index, "the stored committee of epoch " + expectedEpoch + " says epoch "
            + Long.toUnsignedString(parsed.getEpoch()));
      }
      return CommitteeView.of(parsed);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      problem(index, "the stored committee of epoch " + expectedEpoch + " is invalid: "
          + e.getMessage());
      return null;
    }
  }

  private void problem(long index, String reason) {
    problemCount++;
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(new Problem(index, reason));
    }
  }

  private Report report() {
    return new Report(problemCount == 0, highest, checked, problemCount, problems,
        uncertifiedTip);
  }
}
