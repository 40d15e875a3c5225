package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.crypto.PeerId;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A {@link DiscoveryTransport} the test drives: connected peers are a mutable set, dials and
 * queries are recorded with the promise the test completes, offloaded work runs at once. Vert.x
 * promises made without a Vertx run their callbacks on the completing thread, so everything
 * happens synchronously on the test thread.
 */
final class FakeDiscoveryTransport implements DiscoveryTransport {

  /** One {@link #dial} call. */
  record Dial(String address, PeerId expected, Promise<PeerId> promise) {
    void succeed(PeerId id) {
      promise.complete(id);
    }

    void succeed() {
      promise.complete(expected);
    }

    void fail() {
      promise.fail("connection refused (fake)");
    }

    /** Fails as the connection manager does when nobody answers at the address. */
    void unreachable() {
      promise.fail(new io.weft.network.PeerUnreachableException("no answer from " + address + " (fake)"));
    }
  }

  /** One {@link #getKnownPeers} call. */
  record Query(PeerId peer, GetKnownPeersRequest request, Promise<GetKnownPeersResponse> promise) {
    void respond(GetKnownPeersResponse response) {
      promise.complete(response);
    }
  }

  /** Peers the loop sees as connected; tests add and remove freely. */
  final Set<PeerId> connected = new HashSet<>();
  final List<Dial> dials = new ArrayList<>();
  final List<Query> queries = new ArrayList<>();
  /** Peers the loop asked to deny, in order. */
  final List<PeerId> denied = new ArrayList<>();
  /** Peers the loop asked to disconnect, in order (they stay in {@link #connected}). */
  final List<PeerId> disconnected = new ArrayList<>();
  int offloads;
  /** What the loop signs as our data range, and the commit sync needs next. */
  CommitRange ourRange;
  long needed = -1;

  @Override
  public CommitRange ourDataRange() {
    return ourRange;
  }

  @Override
  public long neededCommit() {
    return needed;
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return Set.copyOf(connected);
  }

  @Override
  public Future<PeerId> dial(String address, PeerId expected) {
    Promise<PeerId> promise = Promise.promise();
    dials.add(new Dial(address, expected, promise));
    return promise.future();
  }

  @Override
  public Future<GetKnownPeersResponse> getKnownPeers(PeerId peer, GetKnownPeersRequest request) {
    Promise<GetKnownPeersResponse> promise = Promise.promise();
    queries.add(new Query(peer, request, promise));
    return promise.future();
  }

  @Override
  public <T> Future<T> offload(Callable<T> work) {
    offloads++;
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void disconnect(PeerId peer) {
    disconnected.add(peer);
  }

  @Override
  public void deny(PeerId peer, long untilMs, String reason) {
    denied.add(peer);
  }

  /** Dials recorded from index {@code from} on (to look at one tick's dials). */
  List<Dial> dialsSince(int from) {
    return List.copyOf(dials.subList(from, dials.size()));
  }

  /** The dials whose expected peer id is {@code peer}. */
  List<Dial> dialsTo(PeerId peer) {
    return dials.stream().filter(d -> peer.equals(d.expected())).toList();
  }

  /** The expected ids of the dials from index {@code from} on. */
  List<PeerId> dialledIdsSince(int from) {
    return dialsSince(from).stream().map(Dial::expected).toList();
  }

  Query lastQuery() {
    return queries.get(queries.size() - 1);
  }

  Dial lastDial() {
    return dials.get(dials.size() - 1);
  }

  /** The set of peers with at least one recorded query. */
  Set<PeerId> queriedPeers() {
    Set<PeerId> out = new HashSet<>();
    queries.forEach(q -> out.add(q.peer()));
    return out;
  }
}
