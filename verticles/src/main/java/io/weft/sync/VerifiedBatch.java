package io.weft.sync;

import io.weft.chain.CommitteeView;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.PeerId;
import java.util.List;

/**
 * A batch that passed every check but the link to our chain (checked when applied): its
 * sub-DAGs in order, the certifier blocks of the last commit, and the next committee when the
 * batch ends its epoch. {@code peer} is null for a commit from local consensus.
 */
record VerifiedBatch(PeerId peer, List<CommittedSubDag> subDags, List<VerifiedBlock> certifiers,
    CommitteeView nextCommittee) {

  long start() {
    return subDags.get(0).index();
  }

  long end() {
    return subDags.get(subDags.size() - 1).index();
  }
}
