package io.weft.network;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import io.weft.network.tls.PeerTls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials peers and keeps the active set: one outbound HTTP/2 connection per peer, watched by
 * close events and keep-alive pings. Loop-owned: every method runs on the network verticle's
 * event loop. Publishes NewPeer / LostPeer; {@link ActivePeers} is the shared view of its state.
 */
final class ConnectionManager {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  private final Vertx vertx;
  private final NetworkOptions options;
  /**
   * One client TLS configuration for every dial (trusting any valid peer; {@link #admit} then
   * checks the dialled id), so Vert.x builds the TLS context once and reuses it: a context per
   * expected peer cost ~5 ms of CPU on the network loop per dial and halved the handshake rate.
   */
  private final ClientSSLOptions dialTls;
  private final PeerId self;
  private final Set<PeerId> allowlist;
  private final ActivePeers active;
  private final HttpClientAgent agent;
  private final String peerEvents;
  private final NetworkStats stats;
  /** Dials under way, keyed by expected peer id (or "@address" when dialling by address). */
  private final Map<String, Future<PeerId>> pending = new HashMap<>();
  /** Keep-alive timer per active connection. */
  private final Map<PeerChannel, Long> keepAlives = new HashMap<>();
  /** Peers refused until a time (epoch ms), after serving bad data. */
  private final Map<PeerId, Long> denied = new HashMap<>();
  private boolean shuttingDown;

  ConnectionManager(Vertx vertx, NetworkOptions options, NodeCertificate certificate, PeerId self,
      Set<PeerId> allowlist, ActivePeers active, HttpClientAgent agent, String peerEvents,
      NetworkStats stats) {
    this.vertx = vertx;
    this.options = options;
    this.dialTls = PeerTls.clientSslOptions(certificate, null);
    this.self = self;
    this.allowlist = Set.copyOf(allowlist);
    this.active = active;
    this.agent = agent;
    this.peerEvents = peerEvents;
    this.stats = stats;
  }

  /** Dials {@code address}; succeeds at once when {@code expected} is already active. */
  Future<PeerId> connect(String address, PeerId expected) {
    if (shuttingDown) {
      return Future.failedFuture("connection manager is shutting down");
    }
    if (self.equals(expected)) {
      return Future.failedFuture("refusing to dial our own peer id");
    }
    if (expected != null && isDenied(expected)) {
      return Future.failedFuture("peer " + expected.shortId() + " is denied until " + denied.get(expected));
    }
    if (expected != null && active.contains(expected)) {
      return Future.succeededFuture(expected);
    }
    HostPort target;
    try {
      target = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e.getMessage());
    }
    String key = expected != null ? expected.toHex() : "@" + target;
    Future<PeerId> inFlight = pending.get(key);
    if (inFlight != null) {
      stats.duplicateDials.incrementAndGet();
      return inFlight;
    }
    Promise<PeerId> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + options.getConnectTimeoutMs();
    stats.dials.incrementAndGet();
    attempt(target, expected, deadline, promise);
    Future<PeerId> result = promise.future();
    pending.put(key, result);
    result.onComplete(ar -> pending.remove(key));
    return result;
  }

  private void attempt(HostPort target, PeerId expected, long deadline, Promise<PeerId> promise) {
    long remaining = deadline - System.currentTimeMillis();
    HttpConnectOptions connect = new HttpConnectOptions()
        .setHost(target.host()).setPort(target.port())
        .setConnectTimeout(Math.max(1, remaining))
        .setSslOptions(dialTls);
    agent.connect(connect).onComplete(ar -> {
      if (ar.succeeded()) {
        promise.handle(admit(target, expected, ar.result()));
        return;
      }
      Throwable cause = ar.cause();
      if (isIdentityFailure(cause)) {
        stats.dialFailed(NetworkStats.DialFailure.IDENTITY);
        promise.fail(new PeerIdentityException("peer at " + target + " failed the identity check"
            + (expected == null ? "" : " (expected " + expected.shortId() + ")") + ": " + rootMessage(cause)));
        return;
      }
      long wait = options.getDialRetryIntervalMs();
      if (!shuttingDown && System.currentTimeMillis() + wait < deadline) {
        vertx.setTimer(wait, t -> attempt(target, expected, deadline, promise));
      } else {
        stats.dialFailed(NetworkStats.DialFailure.UNREACHABLE);
        promise.fail(new PeerUnreachableException("could not connect to " + target + " within "
            + options.getConnectTimeoutMs() + " ms: " + rootMessage(cause)));
      }
    });
  }

  private Future<PeerId> admit(HostPort target, PeerId expected, HttpClientConnection connection) {
    PeerId peer;
    try {
      peer = PeerTls.peerOf(connection);
    } catch (Exception e) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.IDENTITY);
      return Future.failedFuture("peer at " + target + " sent no valid certificate: " + e.getMessage());
    }
    if (peer.equals(self)) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.SELF);
      return Future.failedFuture("address " + target + " is this node itself");
    }
    if (expected != null && !expected.equals(peer)) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.IDENTITY);
      return Future.failedFuture(new PeerIdentityException("peer at " + target + " failed the identity check:"
          + " it is " + peer.shortId() + ", expected " + expected.shortId()));
    }
    if (shuttingDown) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.SHUTTING_DOWN);
      return Future.failedFuture("connection manager is shutting down");
    }
    if (isDenied(peer)) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.DENIED);
      return Future.failedFuture("peer " + peer.shortId() + " is denied");
    }
    if (active.contains(peer)) {
      resolveDuplicate(peer, connection);
      return Future.succeededFuture(peer);
    }
    if (active.size() >= options.getMaxConnections() && !allowlist.contains(peer)) {
      connection.close();
      stats.dialFailed(NetworkStats.DialFailure.CONNECTION_LIMIT);
      return Future.failedFuture("connection limit (" + options.getMaxConnections() + ") reached");
    }
    PeerChannel channel = new PeerChannel(vertx, peer, target, connection, options.getRpcTimeoutMs());
    if (!active.insertIfAbsent(new ActivePeer(peer, target.toString(), System.currentTimeMillis(), channel))) {
      resolveDuplicate(peer, connection);
      return Future.succeededFuture(peer);
    }
    connection.closeHandler(v -> onClosed(channel));
    startKeepAlive(channel);
    LOG.info("[{}] connected to {} at {}", self.shortId(), peer.shortId(), target);
    vertx.eventBus().publish(peerEvents, PeerEvent.newPeer(peer, target.toString()).toJson());
    return Future.succeededFuture(peer);
  }

  private void resolveDuplicate(PeerId peer, HttpClientConnection duplicate) {
    stats.simultaneousDialsResolved.incrementAndGet();
    LOG.debug("[{}] dropping a second connection to {} ({})", self.shortId(), peer.shortId(),
        LostReason.SIMULTANEOUS_DIAL_RESOLUTION);
    duplicate.close();
  }

  private void startKeepAlive(PeerChannel channel) {
    int[] missed = {0};
    long timer = vertx.setPeriodic(options.getKeepAliveIntervalMs(), t -> {
      byte[] payload = new byte[8];
      channel.connection().ping(Buffer.buffer(payload))
          .timeout(options.getKeepAliveTimeoutMs(), TimeUnit.MILLISECONDS)
          .onSuccess(ack -> missed[0] = 0)
          .onFailure(e -> {
            missed[0]++;
            if (missed[0] >= options.getMaxMissedPings()) {
              stats.keepAliveLosses.incrementAndGet();
              LOG.info("[{}] peer {} missed {} keep-alive pings; closing", self.shortId(), channel.peerId().shortId(), missed[0]);
              channel.connection().close();
            }
          });
    });
    keepAlives.put(channel, timer);
  }

  private void stopKeepAlive(PeerChannel channel) {
    Long timer = keepAlives.remove(channel);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void onClosed(PeerChannel channel) {
    stopKeepAlive(channel);
    if (active.removeIf(channel.peerId(), channel)) {
      LOG.info("[{}] lost peer {} ({})", self.shortId(), channel.peerId().shortId(), LostReason.CONNECTION_LOST);
      publishLost(channel.peerId(), LostReason.CONNECTION_LOST);
    }
  }

  /** Removes {@code peer} from the active set and closes its connection. */
  Future<Void> disconnect(PeerId peer) {
    return active.remove(peer)
        .map(entry -> close(entry, LostReason.REQUESTED_DISCONNECT))
        .orElse(Future.succeededFuture());
  }

  /** Disconnects {@code peer} and refuses it until {@code untilMs}. */
  Future<Void> deny(PeerId peer, long untilMs) {
    denied.put(peer, untilMs);
    denied.values().removeIf(until -> until <= System.currentTimeMillis());
    LOG.info("[{}] denying {} until {}", self.shortId(), peer.shortId(), untilMs);
    return disconnect(peer);
  }

  boolean isDenied(PeerId peer) {
    Long until = denied.get(peer);
    return until != null && until > System.currentTimeMillis();
  }

  /** Stops dialling, drops every peer with LostPeer(Shutdown) and waits for the closes. */
  Future<Void> shutdown() {
    shuttingDown = true;
    List<Future<Void>> closes = new ArrayList<>();
    for (ActivePeer peer : active.snapshot()) {
      active.remove(peer.peerId()).ifPresent(entry -> closes.add(close(entry, LostReason.SHUTDOWN)));
    }
    return Future.join(closes).mapEmpty();
  }

  private Future<Void> close(ActivePeer entry, LostReason reason) {
    PeerChannel channel = (PeerChannel) entry.channel();
    stopKeepAlive(channel);
    LOG.info("[{}] dropping peer {} ({})", self.shortId(), entry.peerId().shortId(), reason);
    publishLost(entry.peerId(), reason);
    return channel.connection().close().otherwiseEmpty();
  }

  private void publishLost(PeerId peer, LostReason reason) {
    vertx.eventBus().publish(peerEvents, PeerEvent.lostPeer(peer, reason).toJson());
  }

  int pendingDials() {
    return pending.size();
  }

  private static boolean isIdentityFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof PeerIdentityException) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message != null ? message : root.getClass().getSimpleName();
  }
}
