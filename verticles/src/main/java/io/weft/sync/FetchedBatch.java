package io.weft.sync;

import io.weft.crypto.PeerId;
import io.weft.proto.chain.BlockRef;
import java.util.List;

/**
 * A batch as a peer served it, not yet verified: the commits' bytes (in index order from
 * {@code start}), the certifier blocks of the last one, the bytes of every block the commits
 * order, and the block refs each commit lists (parsed, for matching).
 */
record FetchedBatch(PeerId peer, long start, long epoch, List<byte[]> commits,
    List<byte[]> certifiers, List<List<BlockRef>> refsPerCommit, List<byte[]> blocks) {

  long end() {
    return start + commits.size() - 1;
  }

  /** Bytes the peer served for it: commits, certifier blocks and blocks. */
  long bytes() {
    long total = 0;
    for (List<byte[]> part : List.of(commits, certifiers, blocks)) {
      for (byte[] b : part) {
        total += b.length;
      }
    }
    return total;
  }
}
