package io.weft.chain;

import java.util.List;

/**
 * A commit together with the blocks it orders, as handed to executors.
 *
 * @param commit the commit
 * @param blocks the blocks it orders, in the order of its block refs (leader first)
 */
public record CommittedSubDag(VerifiedCommit commit, List<VerifiedBlock> blocks) {

  /** Copies {@code blocks} into an unmodifiable list. */
  public CommittedSubDag {
    blocks = List.copyOf(blocks);
  }

  /** The commit's index. */
  public long index() {
    return commit.index();
  }
}
