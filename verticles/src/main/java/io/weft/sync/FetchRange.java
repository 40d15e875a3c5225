package io.weft.sync;

/** A range of commit indexes to fetch, both ends included. */
record FetchRange(long start, long end) {

  /** The range a fetched batch covers. */
  static FetchRange of(FetchedBatch batch) {
    return new FetchRange(batch.start(), batch.end());
  }

  int commits() {
    return (int) (end - start + 1);
  }
}
