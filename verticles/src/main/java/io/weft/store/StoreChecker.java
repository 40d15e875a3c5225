package io.weft.store;

import io.weft.chain.CommitVerifier;
import java.util.List;

/**
 * Re-verifies everything a {@link ChainStore} holds, as an operator's {@code weft verify-store}
 * and the crash tests do. <b>Blocking</b> (reads the whole store and checks every signature): call
 * it from a worker or a plain thread, never from an event loop.
 *
 * <p>Checks, reporting each failure with the commit it concerns and carrying on where it can:
 * <ul>
 *   <li>genesis: the genesis digest is the digest of commit 0's bytes, commit 0 is a genesis
 *       commit, and the stored epoch-0 committee is the one it names;</li>
 *   <li>commits 0..highest synced are all present, nothing is stored above (a full index scan);</li>
 *   <li>each commit parses, has the index it is stored under, and its previous digest is the
 *       digest of the previous commit's stored bytes; the digest index maps its digest to it;</li>
 *   <li>each commit's epoch is its predecessor's, or the next one once the leader of the
 *       predecessor (an epoch's last commit) announced that committee; every announced committee
 *       is stored, and equal to the announcement;</li>
 *   <li>every block a commit orders is stored, validly signed under the epoch's committee, and
 *       is the block the commit names ({@link CommitVerifier#verifyBlocks});</li>
 *   <li>certification: ranges of at most {@value #RANGE} commits within an epoch re-verify with
 *       {@link CommitVerifier#verifyRange} against the certifier blocks the store kept for the
 *       range's last commit (only those of the commit's epoch). The highest commit may lack a
 *       quorum (it is certified by the commit after it, not stored yet): that is reported as the
 *       {@linkplain Report#uncertifiedTip() uncertified tip}, not as a problem.</li>
 * </ul>
 * A range in which a commit already failed a check is not certified again (the first failure is
 * the one reported). Stateless and thread-safe.
 */
public final class StoreChecker {

  /** Most commits certified as one range (the sync's largest batch). */
  public static final int RANGE = 100;
  /** Most problems kept in a {@link Report} (all are counted). */
  public static final int MAX_PROBLEMS = 20;
  /** {@link Problem#index()} of a problem that concerns no single commit. */
  public static final long STORE = -1;

  private StoreChecker() {
  }

  /** One failed check: the commit it concerns ({@link #STORE} for none) and why. */
  public record Problem(long index, String reason) {
    @Override
    public String toString() {
      return index == STORE ? reason : "commit " + index + ": " + reason;
    }
  }

  /**
   * The outcome of {@link #check}.
   *
   * @param ok true when no check failed
   * @param highest the store's highest synced commit (−1 without genesis)
   * @param checked how many commits were checked one by one (genesis included)
   * @param problemCount how many checks failed
   * @param problems the first {@value #MAX_PROBLEMS} failures, in the order found
   * @param uncertifiedTip the highest commit when the store holds no quorum of votes for it
   *     (allowed), else −1
   */
  public record Report(boolean ok, long highest, long checked, int problemCount,
      List<Problem> problems, long uncertifiedTip) {

    public Report {
      problems = List.copyOf(problems);
    }

    /** Whether the highest commit lacks a quorum of stored votes. */
    public boolean hasUncertifiedTip() {
      return uncertifiedTip >= 0;
    }

    /** A few lines for humans: highest, commits checked, tip, verdict, then the problems. */
    public String summary() {
      StringBuilder text = new StringBuilder();
      text.append("highest synced commit: ").append(highest).append('\n');
      text.append("commits checked: ").append(checked).append('\n');
      if (hasUncertifiedTip()) {
        text.append("uncertified tip: commit ").append(uncertifiedTip)
            .append(" (its votes come with the next commit)\n");
      }
      if (ok) {
        text.append("verdict: OK\n");
      } else {
        text.append("verdict: DAMAGED (").append(problemCount).append(problemCount == 1
            ? " problem" : " problems").append(')').append('\n');
        for (Problem problem : problems) {
          text.append("  ").append(problem).append('\n');
        }
        if (problemCount > problems.size()) {
          text.append("  ... and ").append(problemCount - problems.size()).append(" more\n");
        }
      }
      return text.toString();
    }

    @Override
    public String toString() {
      return summary();
    }
  }

  /**
   * Checks {@code store} (see the class comment). Blocking.
   *
   * @throws StoreException when the store cannot be read (closed, I/O error); damage is reported
   *     in the {@link Report}, not thrown
   */
  public static Report check(ChainStore store) throws StoreException {
    return new StoreCheckRun(store).check();
  }
}
