package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Everything {@link DiscoveryLoop} needs from the outside world. The verticle wires it to the
 * connection manager, gRPC and the worker pool; the simulator wires it to in-memory delivery.
 * Futures complete on the loop's own thread/context.
 */
public interface DiscoveryTransport {

  /** Peers with an active connection now (a snapshot). */
  Set<PeerId> connectedPeers();

  /** Asks the connection manager to dial; {@code expected} null = learn the id from the peer. */
  Future<PeerId> dial(String address, PeerId expected);

  /** GetKnownPeers on a connected peer, with the discovery query timeout. */
  Future<GetKnownPeersResponse> getKnownPeers(PeerId peer, GetKnownPeersRequest request);

  /**
   * ExchangeLiveness on a connected peer: our digest out, theirs back, with the discovery query
   * timeout. The default fails: a transport without it runs discovery without liveness gossip.
   */
  default Future<LivenessDigest> exchangeLiveness(PeerId peer, LivenessDigest digest) {
    return Future.failedFuture("ExchangeLiveness is not available on this transport");
  }

  /** Runs slow work (signature checks) off the event loop; the result comes back on it. */
  <T> Future<T> offload(Callable<T> work);

  /**
   * Disconnects {@code peer} and has the connection manager refuse it until {@code untilMs}. The
   * default does nothing: discovery itself no longer dials a denied peer either way.
   */
  default void deny(PeerId peer, long untilMs, String reason) {
  }

  /** Asks the connection manager to close the connection to {@code peer} (LostPeer: requested). */
  default void disconnect(PeerId peer) {
  }

  /** The commits this node serves, signed into its node info; null when it runs no sync. */
  default CommitRange ourDataRange() {
    return null;
  }

  /** The commit sync needs next (highest synced + 1); -1 when there is no sync. */
  default long neededCommit() {
    return -1;
  }

  /**
   * The signature and shape checks of one info ({@link SignedNodeInfos#verify}); called inside
   * {@link #offload} work. The simulator memoizes results by the info's exact bytes (same bytes,
   * same result) so thousands of simulated nodes do not re-check one signature thousands of times.
   */
  default VerifiedNodeInfo verify(SignedNodeInfo signed) throws InvalidNodeInfoException {
    return SignedNodeInfos.verify(signed);
  }
}
