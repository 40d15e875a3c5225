package io.weft.sim;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.network.LostReason;
import io.weft.network.PeerUnreachableException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated node's connection manager: its outbound connections (in the order they came
 * up, so iteration is deterministic), dials in flight (a second dial to the same peer joins the
 * first), denials, and NewPeer / LostPeer to the node's loops. A dial is a handshake round trip
 * over {@link SimNetwork}; it fails on timeout, when the peer is not who was expected, or when the
 * peer is denied. One instance per incarnation of a node.
 */
final class SimConnections {

  /** A connection: the peer's node index and the incarnation we connected to. */
  record Link(int node, int incarnation) {
  }

  /** Who hears about peers coming and going (the node's discovery and sync loops). */
  interface Listener {
    void onNewPeer(PeerId peer);

    void onLostPeer(PeerId peer, LostReason reason);
  }

  private final SimWorld world;
  private final int self;
  private final PeerId selfId;
  private final Listener listener;
  private final Map<PeerId, Link> outbound = new LinkedHashMap<>();
  /** {@link #peers()} until the connections change (the loops ask for it on every response). */
  private Set<PeerId> peersSnapshot;
  private final Map<Integer, Future<PeerId>> pending = new HashMap<>();
  private final Map<PeerId, Long> deniedUntil = new HashMap<>();
  private boolean closed;

  SimConnections(SimWorld world, int self, Listener listener) {
    this.world = world;
    this.self = self;
    this.selfId = world.node(self).peerId();
    this.listener = listener;
  }

  /** The connected peers now, in connection order (an unmodifiable copy, shared until they change). */
  Set<PeerId> peers() {
    if (peersSnapshot == null) {
      peersSnapshot = Collections.unmodifiableSet(new LinkedHashSet<>(outbound.keySet()));
    }
    return peersSnapshot;
  }

  int size() {
    return outbound.size();
  }

  /** The node index of a connected peer, or -1. */
  int nodeOf(PeerId peer) {
    Link link = outbound.get(peer);
    return link == null ? -1 : link.node();
  }

  List<Map.Entry<PeerId, Link>> links() {
    return List.copyOf(outbound.entrySet());
  }

  Future<PeerId> dial(String address, PeerId expected) {
    if (closed) {
      return Future.failedFuture("connection manager is shutting down");
    }
    if (selfId.equals(expected)) {
      return Future.failedFuture("refusing to dial our own peer id");
    }
    if (expected != null && isDenied(expected)) {
      return Future.failedFuture("peer " + expected.shortId() + " is denied");
    }
    if (expected != null && outbound.containsKey(expected)) {
      return Future.succeededFuture(expected);
    }
    int target = world.nodeAt(address);
    if (target < 0) {
      return Future.failedFuture(new PeerUnreachableException("no node listens on " + address));
    }
    Future<PeerId> inFlight = pending.get(target);
    if (inFlight != null) {
      return inFlight;
    }
    SimNetwork network = world.network();
    int bytes = network.options().getHandshakeBytes();
    Future<PeerId> dial = network.call(self, target, "dial", bytes,
        () -> world.node(target).acceptHandshake(self), id -> bytes, network.options().getConnectTimeoutMs())
        .recover(e -> Future.failedFuture(new PeerUnreachableException(e.getMessage())))
        .compose(actual -> connected(target, actual, expected));
    pending.put(target, dial);
    dial.onComplete(ar -> {
      pending.remove(target, dial);
      if (ar.failed() && outbound.values().stream().noneMatch(link -> link.node() == target)) {
        // the target may have admitted the handshake before we gave up on it: it closes again
        world.node(target).inboundClosed(self, network.incarnation(target));
      }
      world.trace().record(world.clock().nowMillis(), ar.succeeded() ? "dialled" : "dial-failed", self, target, 0);
    });
    return dial;
  }

  private Future<PeerId> connected(int target, PeerId actual, PeerId expected) {
    if (closed) {
      return Future.failedFuture("connection manager is shutting down");
    }
    if (expected != null && !expected.equals(actual)) {
      return Future.failedFuture("peer at node " + target + " is " + actual.shortId() + ", not " + expected.shortId());
    }
    if (isDenied(actual)) {
      return Future.failedFuture("peer " + actual.shortId() + " is denied");
    }
    if (!outbound.containsKey(actual)) {
      outbound.put(actual, new Link(target, world.network().incarnation(target)));
      peersSnapshot = null;
      world.clock().schedule(0, () -> {
        if (!closed && outbound.containsKey(actual)) {
          listener.onNewPeer(actual);
        }
      });
    }
    return Future.succeededFuture(actual);
  }

  /** Drops the connection to {@code peer} (if any) and tells the loops why. */
  void lost(PeerId peer, LostReason reason) {
    Link link = outbound.remove(peer);
    peersSnapshot = null;
    if (link != null) {
      world.node(link.node()).inboundClosed(self, link.incarnation());
    }
    if (link != null && !closed) {
      world.trace().record(world.clock().nowMillis(), "lost", self, world.indexOf(peer), reason.ordinal());
      listener.onLostPeer(peer, reason);
    }
  }

  /** Disconnects {@code peer} and refuses it until {@code untilMs}. */
  void deny(PeerId peer, long untilMs) {
    deniedUntil.put(peer, untilMs);
    deniedUntil.values().removeIf(until -> until <= world.clock().nowMillis());
    lost(peer, LostReason.REQUESTED_DISCONNECT);
  }

  boolean isDenied(PeerId peer) {
    Long until = deniedUntil.get(peer);
    return until != null && until > world.clock().nowMillis();
  }

  /** The node crashed: every connection is gone, no events are sent. */
  void close() {
    closed = true;
    outbound.values().forEach(link -> world.node(link.node()).inboundClosed(self, link.incarnation()));
    outbound.clear();
    peersSnapshot = null;
  }
}
