package io.weft.sync;

import io.weft.runtime.Clock;
import io.weft.store.ChainStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the {@link SyncLoop} unit tests share: a real {@link ChainStore} in a temporary directory,
 * a {@link FakeSyncTransport} over it, a fake clock starting at {@link #T0} and the loop's stats.
 * A test assigns {@link #loop}; it is stopped, and the store closed, after each test.
 */
abstract class SyncLoopFixture {

  static final long T0 = 1_700_000_000_000L;

  @TempDir
  Path dir;

  ChainStore store;
  FakeSyncTransport transport;
  final long[] now = {T0};
  final Clock clock = () -> now[0];
  final SyncStats stats = new SyncStats();
  SyncLoop loop;

  @BeforeEach
  void open() throws Exception {
    store = ChainStore.open(dir.resolve("store"));
    transport = new FakeSyncTransport(store);
  }

  @AfterEach
  void close() {
    if (loop != null) {
      loop.stop();
    }
    store.close();
  }
}
