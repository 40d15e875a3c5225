package io.weft.sim;

import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryState;
import com.google.protobuf.ByteString;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import io.weft.testing.CraftedInfos;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Byzantine behaviours for simulated nodes, crafted as the adversarial suite crafts them
 * ({@link CraftedInfos}, {@link ChainBuilder}'s bad variants).
 */
public final class Byzantine {

  private Byzantine() {
  }

  /**
   * A GetKnownPeers server that answers with its own valid info plus, for each of its sybil keys,
   * a forged info (one signature bit flipped), one signed a day and an hour before the start (too
   * old), one signed 100 days after it (from the future), and one claiming an honest node's id
   * but signed by the sybil. Every honest node must reject all of them.
   */
  public static final class InfoLiar {
    private final List<SignedNodeInfo> lies;
    private final List<PeerId> sybils;

    InfoLiar(long startMs, long maxInfoAgeMs, int sybilCount, PeerId victim, Random random) {
      List<SignedNodeInfo> crafted = new ArrayList<>();
      List<PeerId> ids = new ArrayList<>();
      for (int i = 0; i < sybilCount; i++) {
        byte[] seed = new byte[NetworkKey.SEED_LENGTH];
        random.nextBytes(seed);
        NetworkKey sybil = NetworkKey.fromSeed(seed);
        ids.add(sybil.peerId());
        String address = "sybil-" + i + ":7000";
        crafted.add(CraftedInfos.forged(sybil, address, startMs));
        crafted.add(CraftedInfos.signed(sybil, List.of(address), startMs - maxInfoAgeMs - 3_600_000));
        crafted.add(CraftedInfos.signed(sybil, List.of(address), startMs + 100L * 24 * 3_600_000));
        crafted.add(CraftedInfos.signedByAnother(victim, sybil, address, startMs + 1));
      }
      this.lies = List.copyOf(crafted);
      this.sybils = List.copyOf(ids);
    }

    GetKnownPeersResponse answer(DiscoveryState state, long nowMs) {
      GetKnownPeersResponse.Builder response = GetKnownPeersResponse.newBuilder();
      state.ourInfo().ifPresent(response::setOwnInfo);
      return response.addAllKnownPeers(lies).build();
    }

    /** The ids the crafted infos claim (none may ever be known by an honest node). */
    public List<PeerId> sybils() {
      return sybils;
    }
  }

  /**
   * Lies in liveness gossip, in both the digests a node sends and those it answers with. Vouches
   * are unsigned, so the strongest lies are about whom it heard from.
   */
  public enum LivenessLie {
    /** Vouch for nobody but ourselves: tries to get live peers silenced. */
    WITHHOLD,
    /** Vouch, as just heard (one unit), for every node that ever started, departed ones too. */
    VOUCH_FOR_ALL;

    LivenessDigest digest(SimWorld world, int self) {
      ByteBuffer prefixes = ByteBuffer.allocate(8 * world.size());
      LivenessDigest.Builder digest = LivenessDigest.newBuilder();
      for (int i = 0; i < world.size(); i++) {
        if (i == self || (this == VOUCH_FOR_ALL && world.node(i).hasStarted())) {
          prefixes.put(world.node(i).peerId().toBytes(), 0, 8);
          digest.addAges100Ms(i == self ? 0 : 1);
        }
      }
      return digest.setPeerIdPrefixes(ByteString.copyFrom(prefixes.array(), 0, prefixes.position())).build();
    }
  }

  /** Makes {@code node} lie in liveness gossip (see {@link LivenessLie}). */
  public static void lieAboutLiveness(SimWorld world, int node, LivenessLie lie) {
    world.node(node).lieAboutLiveness(lie);
  }

  /** Makes {@code node} answer GetKnownPeers with lies about {@code sybilCount} sybils and {@code victim}. */
  public static InfoLiar lieAboutPeers(SimWorld world, int node, int sybilCount, int victim, long seed) {
    InfoLiar liar = new InfoLiar(SimClock.EPOCH_MS, world.discoveryOptions().getMaxInfoAgeMs(), sybilCount,
        world.node(victim).peerId(), new Random(seed));
    world.node(node).lieAboutPeers(liar);
    return liar;
  }

  /**
   * A chain with the honest chain's genesis (same builder settings) whose blocks carry a corrupted
   * signature every {@code every} commits: a lying sync server holds it and claims its full height.
   */
  public static Chain forgedChain(ChainBuilder honestSettings, int commits, int every) {
    for (long i = every; i <= commits; i += every) {
      honestSettings.forgeSignatureAt(i);
    }
    return honestSettings.build(commits);
  }
}
