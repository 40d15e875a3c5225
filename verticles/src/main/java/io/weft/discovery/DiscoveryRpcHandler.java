package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.weft.bus.Mailboxes;
import io.weft.crypto.PeerId;
import io.weft.network.RpcBinding;
import io.weft.network.RpcServer;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcService;
import io.weft.runtime.Clock;
import java.util.Base64;
import java.util.Random;

/**
 * The GetKnownPeers and ExchangeLiveness server. Runs on the network verticle's loop and touches
 * only {@link DiscoveryState} (its lock, briefly) and the discovery mailbox (non-blocking send).
 * The rules (rate limit, sampling, no private peers, connect-back) are {@link KnownPeersServing}'s
 * and {@link LivenessServing}'s; this class binds them to gRPC and hands the caller's info to the
 * discovery mailbox.
 */
public final class DiscoveryRpcHandler implements RpcBinding {

  /** A signed info larger than this cannot be valid (10 addresses of 1 KiB plus overhead). */
  static final int MAX_SIGNED_INFO_BYTES = KnownPeersServing.MAX_SIGNED_INFO_BYTES;

  private final KnownPeersServing serving;
  private final LivenessServing liveness;

  public DiscoveryRpcHandler(Vertx vertx, String namespace, PeerId self, DiscoveryOptions options,
      DiscoveryState state, DiscoveryStats stats, Clock clock) {
    this.liveness = new LivenessServing(options, self, state, stats, clock, new Random());
    String mailbox = DiscoveryAddresses.mailbox(namespace);
    this.serving = new KnownPeersServing(options, state, stats, clock, new Random(), (caller, info) -> {
      JsonObject message = new JsonObject().put("caller", caller.toHex())
          .put("info", Base64.getEncoder().encodeToString(info.toByteArray()));
      return Mailboxes.send(vertx, mailbox, message, new DeliveryOptions());
    });
  }

  @Override
  public void bind(RpcServer server) {
    server.unary(P2pGrpcService.GetKnownPeers, this::getKnownPeers);
    server.unary(P2pGrpcService.ExchangeLiveness, liveness::serve);
  }

  Future<GetKnownPeersResponse> getKnownPeers(PeerId caller, GetKnownPeersRequest request) {
    return serving.serve(caller, request);
  }
}
