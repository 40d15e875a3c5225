package io.weft.sync;

import io.vertx.core.Vertx;
import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.state.LocalStates;
import io.weft.state.LockedState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each connected peer says it holds: its chain (genesis digest), its highest synced commit
 * and its lowest available one. Written by the sync loop (and the PushCommit handler); read by
 * both. Rules from the reference, kept: only peers that told us their genesis are tracked;
 * a height only grows; an entry with a different genesis digest replaces the old one; the
 * highest known commit counts only peers on our chain.
 */
public final class PeerHeights extends LockedState<Map<PeerId, PeerHeights.Info>> {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "peer-heights";

  /** One peer's claim. */
  public record Info(PeerId peerId, Digest genesis, long height, long lowestAvailable) {

    /** Whether this peer claims to hold every commit in [from, to]. */
    public boolean serves(long from, long to) {
      return lowestAvailable <= from && to <= height;
    }
  }

  public PeerHeights() {
    super(new HashMap<>());
  }

  public static PeerHeights in(Vertx vertx, String namespace) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, PeerHeights.class, PeerHeights::new);
  }

  /**
   * Records a peer's genesis and availability: inserts it, replaces it when the genesis differs,
   * else keeps the larger height (heights only grow) and the given lowest available commit.
   */
  public void put(PeerId peer, Digest genesis, long height, long lowestAvailable) {
    write(map -> {
      Info old = map.get(peer);
      if (old == null || !old.genesis().equals(genesis)) {
        map.put(peer, new Info(peer, genesis, height, lowestAvailable));
      } else {
        map.put(peer, new Info(peer, genesis, Math.max(old.height(), height), lowestAvailable));
      }
      return null;
    });
  }

  /**
   * Raises a tracked peer's height (PushCommit, availability answers); ignored for a peer that
   * never told us its genesis.
   *
   * @return true when the peer is tracked
   */
  public boolean raiseHeight(PeerId peer, long height) {
    return write(map -> {
      Info old = map.get(peer);
      if (old == null) {
        return false;
      }
      if (height > old.height()) {
        map.put(peer, new Info(peer, old.genesis(), height, old.lowestAvailable()));
      }
      return true;
    });
  }

  public void remove(PeerId peer) {
    write(map -> map.remove(peer));
  }

  public Optional<Info> get(PeerId peer) {
    return Optional.ofNullable(read(map -> map.get(peer)));
  }

  /** The highest commit any peer on chain {@code genesis} claims; -1 when none. */
  public long highestKnown(Digest genesis) {
    return read(map -> map.values().stream().filter(i -> i.genesis().equals(genesis))
        .mapToLong(Info::height).max().orElse(-1));
  }

  /** Copies of the entries of peers on chain {@code genesis}. */
  public List<Info> onChain(Digest genesis) {
    return read(map -> map.values().stream().filter(i -> i.genesis().equals(genesis)).toList());
  }

  public int size() {
    return read(Map::size);
  }
}
