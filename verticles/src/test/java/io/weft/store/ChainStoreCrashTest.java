package io.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a child JVM with SIGKILL while it applies batches, then checks that the reopened store is
 * consistent: commits 0..highest all present and correct, nothing above, and nothing the child
 * saw acknowledged is lost. Three rounds, each continuing the previous store.
 */
class ChainStoreCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(ChainStoreCrashTest.class);

  @TempDir
  Path dir;

  @Test
  @Timeout(180)
  void storeIsConsistentAfterSigkillMidApply() throws Exception {
    Path db = dir.resolve("db");
    long previous = -1;
    for (int round = 0; round < 3; round++) {
      long acknowledged = runAndKill(db, 15 + 7 * round);
      try (ChainStore store = ChainStore.open(db)) {
        long highest = store.highestSynced();
        LOG.info("round {}: child acknowledged {}, reopened at {}", round, acknowledged, highest);
        assertThat(highest).isGreaterThanOrEqualTo(acknowledged).isGreaterThan(previous);
        assertThat(store.genesisDigest()).hasValue(TestChain.GENESIS_DIGEST);
        List<Long> present = new ArrayList<>();
        store.forEachCommit(0, (i, bytes) -> {
          assertThat(bytes).isEqualTo(TestChain.commitBytes(i));
          present.add(i);
        });
        assertThat(present).hasSize((int) highest + 1);
        for (int i = 0; i < present.size(); i++) {
          assertThat(present.get(i)).isEqualTo(i);
        }
        assertThat(store.commit(highest)).isPresent();
        assertThat(store.commit(highest + 1)).isEmpty();
        assertThat(store.indexOf(TestChain.commitDigest(highest))).hasValue(highest);
        assertThat(store.certifierBlocks(highest)).hasSize(4);
        previous = highest;
      }
    }
  }

  /** Starts the child, waits for {@code batches} acknowledged batches, SIGKILLs it. */
  private long runAndKill(Path db, int batches) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = dir.resolve("child-stderr.txt");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        ApplyLoopMain.class.getName(), db.toString())
        .redirectError(stderr.toFile())
        .start();
    long acknowledged = -1;
    int seen = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (seen < batches && (line = out.readLine()) != null) {
        if (line.startsWith("applied ")) {
          acknowledged = Long.parseLong(line.substring("applied ".length()).trim());
          seen++;
        }
      }
      // Land the kill at a random point of the next batch (building, writing, syncing).
      Thread.sleep(ThreadLocalRandom.current().nextInt(0, 5));
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(seen).as("child output; stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
        .isEqualTo(batches);
    return acknowledged;
  }
}
