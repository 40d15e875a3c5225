package io.weft.launcher;

import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.GenesisFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code weft genesis --out FILE}: writes the first committee and commit 0 of a devnet chain and
 * prints the chain id (the genesis digest). The committee's protocol keys are derived from
 * {@code --seed}, so a devnet's commit producer given the same seed signs for it.
 */
final class GenesisVerb implements Verb {

  @Override
  public String name() {
    return "genesis";
  }

  @Override
  public String usage() {
    return "  genesis --out FILE [--committee N] [--epoch-length L] [--seed S]\n"
        + "                         write a devnet genesis (committee of N, default 4; epochs of L\n"
        + "                         commits, default 1000; keys from seed S, default 1); prints the chain id";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args parsed = Args.parse(name(), args, Set.of("out", "committee", "epoch-length", "seed"));
    Path out = Path.of(parsed.required("out"));
    if (Files.exists(out)) {
      throw new UserError("genesis file " + out + " exists; remove it first or choose another --out");
    }
    Chain chain = genesisChain((int) parsed.number("committee", 4, 1, 100),
        (int) parsed.number("epoch-length", 1000, 1, Integer.MAX_VALUE), parsed.number("seed", 1, 0, Long.MAX_VALUE));
    GenesisFile.write(out, chain.genesis());
    console.out().println(chain.genesisDigest().toHex());
    return 0;
  }

  /** The genesis-only chain a devnet with these settings starts from. */
  static Chain genesisChain(int committee, int epochLength, long seed) {
    return builder(committee, epochLength, seed).build(0);
  }

  /** The builder of that chain: its producer signs commits this genesis accepts. */
  static ChainBuilder builder(int committee, int epochLength, long seed) {
    return ChainBuilder.create().committeeSize(committee).blocksPerCommit(Math.min(4, committee))
        .epochLength(epochLength).seed(seed);
  }
}
