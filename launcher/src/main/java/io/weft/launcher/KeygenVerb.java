package io.weft.launcher;

import io.weft.crypto.KeyFile;
import io.weft.crypto.NetworkKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code weft keygen --out FILE}: writes a new network key, owner-only, and prints its peer id. */
final class KeygenVerb implements Verb {

  @Override
  public String name() {
    return "keygen";
  }

  @Override
  public String usage() {
    return "  keygen --out FILE      write a new network key to FILE (rw-------, never overwrites)\n"
        + "                         and print its peer id (64 hex characters)";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Path out = Path.of(Args.parse(name(), args, Set.of("out")).required("out"));
    NetworkKey key = NetworkKey.generate();
    KeyFile.write(out, key);
    console.out().println(key.peerId().toHex());
    return 0;
  }
}
