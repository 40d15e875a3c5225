package io.weft.sim;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.DiscoveryTransport;
import io.weft.discovery.InvalidNodeInfoException;
import io.weft.discovery.VerifiedNodeInfo;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@link DiscoveryTransport} over the simulated network: dials through the node's
 * {@link SimConnections}, GetKnownPeers and ExchangeLiveness as requests/responses of the messages' serialized sizes,
 * off-loop work as a later event on the same thread, signature checks through the shared
 * {@link NodeInfoMemo}.
 */
final class SimDiscoveryTransport implements DiscoveryTransport {

  private final SimWorld world;
  private final int self;
  private final PeerId selfId;
  private final SimConnections connections;
  private final DiscoveryOptions options;

  SimDiscoveryTransport(SimWorld world, int self, SimConnections connections, DiscoveryOptions options) {
    this.world = world;
    this.self = self;
    this.selfId = world.node(self).peerId();
    this.connections = connections;
    this.options = options;
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return connections.peers();
  }

  @Override
  public Future<PeerId> dial(String address, PeerId expected) {
    return connections.dial(address, expected);
  }

  /** Closed as a later event, as the connection manager's LostPeer arrives after the request. */
  @Override
  public void disconnect(PeerId peer) {
    world.clock().schedule(0, () -> connections.lost(peer, io.weft.network.LostReason.REQUESTED_DISCONNECT));
  }

  @Override
  public Future<GetKnownPeersResponse> getKnownPeers(PeerId peer, GetKnownPeersRequest request) {
    int target = connections.nodeOf(peer);
    if (target < 0) {
      return Future.failedFuture("peer " + peer.shortId() + " is not connected");
    }
    return world.network().call(self, target, "known-peers", request.getSerializedSize(),
        () -> world.node(target).serveKnownPeers(selfId, request), GetKnownPeersResponse::getSerializedSize,
        options.getQueryTimeoutMs());
  }

  @Override
  public Future<LivenessDigest> exchangeLiveness(PeerId peer, LivenessDigest digest) {
    int target = connections.nodeOf(peer);
    if (target < 0) {
      return Future.failedFuture("peer " + peer.shortId() + " is not connected");
    }
    LivenessDigest sent = world.node(self).outgoing(digest);
    return world.network().call(self, target, "liveness", sent.getSerializedSize(),
        () -> world.node(target).serveLiveness(selfId, sent), LivenessDigest::getSerializedSize,
        options.getQueryTimeoutMs());
  }

  @Override
  public <T> Future<T> offload(Callable<T> work) {
    return world.later(work);
  }

  @Override
  public io.weft.discovery.CommitRange ourDataRange() {
    SimSync sync = world.node(self).sync();
    return sync == null ? null : sync.dataRange();
  }

  @Override
  public long neededCommit() {
    SimSync sync = world.node(self).sync();
    return sync == null ? -1 : sync.neededCommit();
  }

  @Override
  public VerifiedNodeInfo verify(SignedNodeInfo signed) throws InvalidNodeInfoException {
    return world.nodeInfoMemo().verify(signed);
  }
}
