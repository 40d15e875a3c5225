package io.weft.store;

import static io.weft.store.StoreKeys.DIGEST_LENGTH;
import static io.weft.store.StoreKeys.REF_KEY_LENGTH;
import static io.weft.store.StoreKeys.requireLength;
import static io.weft.store.StoreKeys.requireNonNegative;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ChainStore#apply} writes in one atomic, synced batch. Commits must be contiguous and
 * start right after the store's highest synced commit; blocks, certifier entries and committees
 * have no ordering constraint. The byte arrays are not copied: do not change them after building.
 *
 * @param commits commits in index order
 * @param blocks signed blocks by ref key
 * @param certifiers (commit index, ref key) pairs: the blocks carrying votes for that commit
 * @param committees committees by epoch
 */
public record ApplyBatch(
    List<CommitEntry> commits,
    List<BlockEntry> blocks,
    List<CertifierEntry> certifiers,
    List<CommitteeEntry> committees) {

  public ApplyBatch {
    commits = List.copyOf(commits);
    blocks = List.copyOf(blocks);
    certifiers = List.copyOf(certifiers);
    committees = List.copyOf(committees);
  }

  /** A fluent builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when there is nothing to write. */
  public boolean isEmpty() {
    return commits.isEmpty() && blocks.isEmpty() && certifiers.isEmpty() && committees.isEmpty();
  }

  /** One commit: its index, the 32-byte digest of its bytes, and the exact bytes. */
  public record CommitEntry(long index, byte[] digest, byte[] bytes) {
    public CommitEntry {
      requireNonNegative("commit index", index);
      requireLength("commit digest", digest, DIGEST_LENGTH);
      Objects.requireNonNull(bytes, "commit bytes");
    }
  }

  /** One signed block, keyed by its 44-byte ref key (round || author || digest). */
  public record BlockEntry(byte[] refKey, byte[] bytes) {
    public BlockEntry {
      requireLength("block ref key", refKey, REF_KEY_LENGTH);
      Objects.requireNonNull(bytes, "block bytes");
    }
  }

  /** The block with this ref key carries a vote for commit {@code commitIndex}. */
  public record CertifierEntry(long commitIndex, byte[] refKey) {
    public CertifierEntry {
      requireNonNegative("certified commit index", commitIndex);
      requireLength("certifier ref key", refKey, REF_KEY_LENGTH);
    }
  }

  /** The serialized Committee of one epoch. */
  public record CommitteeEntry(long epoch, byte[] bytes) {
    public CommitteeEntry {
      requireNonNegative("epoch", epoch);
      Objects.requireNonNull(bytes, "committee bytes");
    }
  }

  /** Collects entries in call order. Not thread-safe. */
  public static final class Builder {
    private final List<CommitEntry> commits = new ArrayList<>();
    private final List<BlockEntry> blocks = new ArrayList<>();
    private final List<CertifierEntry> certifiers = new ArrayList<>();
    private final List<CommitteeEntry> committees = new ArrayList<>();

    private Builder() {
    }

    public Builder commit(long index, byte[] digest, byte[] bytes) {
      commits.add(new CommitEntry(index, digest, bytes));
      return this;
    }

    public Builder block(byte[] refKey, byte[] bytes) {
      blocks.add(new BlockEntry(refKey, bytes));
      return this;
    }

    public Builder certifier(long commitIndex, byte[] refKey) {
      certifiers.add(new CertifierEntry(commitIndex, refKey));
      return this;
    }

    public Builder committee(long epoch, byte[] bytes) {
      committees.add(new CommitteeEntry(epoch, bytes));
      return this;
    }

    public ApplyBatch build() {
      return new ApplyBatch(commits, blocks, certifiers, committees);
    }
  }
}
