package io.weft.node;

import io.weft.chain.GenesisFile;
import io.weft.crypto.NetworkKey;
import io.weft.network.NodeIdentity;
import io.weft.proto.chain.Genesis;
import io.weft.store.ChainStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What a node needs before its verticles deploy, made off the event loop: its identity
 * (certificate), its genesis and its store. A node with neither a genesis nor a stored chain runs
 * without state sync. Without a data dir, a syncing node keeps its store in a temporary directory
 * removed on close.
 */
record NodeParts(NodeIdentity identity, Genesis genesis, ChainStore store, Path temporaryStore) {

  static NodeParts prepare(NodeOptions options, NetworkKey key, Genesis given) throws Exception {
    NodeIdentity identity = NodeIdentity.of(key);
    Genesis genesis = given;
    if (genesis == null && options.getGenesisFile() != null) {
      genesis = GenesisFile.read(Path.of(options.getGenesisFile()));
    }
    if (genesis != null) {
      GenesisFile.check(genesis);
    }
    Path storeDir = options.getDataDir() == null ? null : Path.of(options.getDataDir(), "store");
    if (storeDir != null && (genesis != null || Files.isDirectory(storeDir))) {
      return new NodeParts(identity, genesis, ChainStore.open(storeDir), null);
    }
    if (genesis != null) {
      Path temporary = Files.createTempDirectory("weft-store-");
      return new NodeParts(identity, genesis, ChainStore.open(temporary), temporary);
    }
    return new NodeParts(identity, null, null, null);
  }

  boolean syncs() {
    return store != null;
  }

  /** Closes the store and removes a temporary one. Blocking; idempotent. */
  void release() throws IOException {
    if (store != null) {
      store.close();
    }
    if (temporaryStore != null) {
      try (Stream<Path> files = Files.walk(temporaryStore)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
