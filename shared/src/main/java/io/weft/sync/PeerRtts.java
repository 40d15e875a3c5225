package io.weft.sync;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.weft.crypto.PeerId;
import io.weft.state.LocalStates;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each connected peer's smoothed round-trip time, as the sync loop measures it with its
 * availability probes, for operators (status endpoint, dashboard). Written by the sync loop only;
 * a concurrent map of immutable values, so no lock is needed.
 */
public final class PeerRtts implements Shareable {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "peer-rtts";

  private final Map<PeerId, Long> rttMs = new ConcurrentHashMap<>();

  public static PeerRtts in(Vertx vertx, String namespace) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, PeerRtts.class, PeerRtts::new);
  }

  public void put(PeerId peer, long ms) {
    rttMs.put(peer, ms);
  }

  public void remove(PeerId peer) {
    rttMs.remove(peer);
  }

  /** The peer's round-trip time in milliseconds, or null when unknown. */
  public Long get(PeerId peer) {
    return rttMs.get(peer);
  }
}
