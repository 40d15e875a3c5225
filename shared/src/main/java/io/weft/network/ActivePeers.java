package io.weft.network;

import io.vertx.core.Vertx;
import io.weft.crypto.PeerId;
import io.weft.state.LocalStates;
import io.weft.state.LockedState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The peers we are connected to, by peer id, shared by all verticles of one Vert.x instance
 * and namespace (see {@link #in}). Every method takes the lock once, for the shortest time,
 * and returns immutable values or copies. {@link #read} and {@link #write} give direct access
 * to the map for compound operations, under the rules of {@link LockedState}.
 */
public final class ActivePeers extends LockedState<Map<PeerId, ActivePeer>> {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "active-peers";

  /** A new, empty, unshared table; most code wants {@link #in} instead. */
  public ActivePeers() {
    super(new HashMap<>());
  }

  /**
   * The single instance for {@code namespace} in {@code vertx}: the local map
   * {@code namespace + ".state"}, key {@value #KEY}, created atomically when absent.
   */
  public static ActivePeers in(Vertx vertx, String namespace) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, ActivePeers.class, ActivePeers::new);
  }

  /** Stores {@code peer} unless its peer id is present; true when it was stored. */
  public boolean insertIfAbsent(ActivePeer peer) {
    Objects.requireNonNull(peer, "peer");
    return write(m -> m.putIfAbsent(peer.peerId(), peer) == null);
  }

  /** Removes the entry of {@code id}, returning it when there was one. */
  public Optional<ActivePeer> remove(PeerId id) {
    return Optional.ofNullable(write(m -> m.remove(id)));
  }

  /**
   * Removes the entry of {@code id} only when its channel is {@code channel} (the same object),
   * so that closing a stale connection does not remove a newer one.
   *
   * @return true when an entry was removed
   */
  public boolean removeIf(PeerId id, Object channel) {
    return write(m -> {
      ActivePeer current = m.get(id);
      if (current == null || current.channel() != channel) {
        return false;
      }
      m.remove(id);
      return true;
    });
  }

  /** The entry of {@code id}, if any. */
  public Optional<ActivePeer> get(PeerId id) {
    return Optional.ofNullable(read(m -> m.get(id)));
  }

  /** Whether {@code id} is connected. */
  public boolean contains(PeerId id) {
    return read(m -> m.containsKey(id));
  }

  /** An immutable copy of the connected peer ids. */
  public Set<PeerId> ids() {
    return read(m -> Set.copyOf(m.keySet()));
  }

  /** An immutable copy of the entries, in no particular order. */
  public List<ActivePeer> snapshot() {
    return read(m -> List.copyOf(m.values()));
  }

  /** How many peers are connected. */
  public int size() {
    return read(Map::size);
  }
}
