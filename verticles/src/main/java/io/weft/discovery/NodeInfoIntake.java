package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.proto.SignedNodeInfo;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node infos {@link DiscoveryLoop} receives (a responder's batch and own info, a caller's
 * connect-back info, our known-peers file): signature and shape checks off the loop, then on the
 * loop the time and identity checks and the newer-wins insert into {@link DiscoveryState}, and
 * the relayer judged by {@link DiscoveryReputation} for what it sent. Single-threaded like the
 * loop: every method but the offloaded check runs on it; nothing is applied once the loop stopped.
 */
final class NodeInfoIntake {

  /** Logs under the loop's name, as before this class was split out of it. */
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLoop.class);

  private final DiscoveryOptions options;
  private final PeerId self;
  private final DiscoveryState state;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final DiscoveryStats stats;
  private final DiscoveryReputation reputation;
  private final UnreachablePeers unreachable;
  private final BooleanSupplier stopped;
  private final Runnable markDirty;

  /**
   * @param stopped whether the loop stopped (then nothing is applied or judged)
   * @param markDirty called when known peers changed
   */
  NodeInfoIntake(DiscoveryOptions options, PeerId self, DiscoveryState state, DiscoveryTransport transport,
      Clock clock, DiscoveryStats stats, DiscoveryReputation reputation, UnreachablePeers unreachable,
      BooleanSupplier stopped, Runnable markDirty) {
    this.options = options;
    this.self = self;
    this.state = state;
    this.transport = transport;
    this.clock = clock;
    this.stats = stats;
    this.reputation = reputation;
    this.unreachable = unreachable;
    this.stopped = stopped;
    this.markDirty = markDirty;
  }

  /**
   * A peer that called GetKnownPeers sent its own info, {@code checked} by {@link #verify}: judge
   * the caller for it and keep it. Whether the caller may be dialled back: its info is new to us,
   * or one we hold already (unchanged since the caller last signed it).
   */
  boolean acceptCallerInfo(PeerId caller, List<Checked> checked) {
    Checked c = checked.get(0);
    if (c.info() != null && !c.info().peerId().equals(caller)) {
      stats.rejected(Reason.MALFORMED);
      judgeRelayed(caller, List.of(new Checked(null, Reason.MALFORMED)));
      LOG.debug("[{}] connect-back info from {} is signed for {}", self.shortId(), caller.shortId(), c.info().peerId().shortId());
      return false;
    }
    judgeRelayed(caller, checked);
    if (c.info() != null && !stopped.getAsBoolean()) {
      unreachable.reached(caller);
    }
    return apply(c, clock.nowMillis()) || isStored(c);
  }

  /** The own info a GetKnownPeers responder sent along: must be signed by the responder. */
  void acceptResponderInfo(PeerId responder, SignedNodeInfo ownInfo) {
    verify(List.of(ownInfo)).onSuccess(checked -> {
      Checked c = checked.get(0);
      if (c.info() != null && !c.info().peerId().equals(responder)) {
        stats.rejected(Reason.MALFORMED);
        judgeRelayed(responder, List.of(new Checked(null, Reason.MALFORMED)));
      } else {
        apply(c, clock.nowMillis());
        judgeRelayed(responder, checked);
      }
    });
  }

  /**
   * Verifies and keeps up to {@code maxInfosPerResponse} of {@code infos}.
   *
   * @param relayer the peer that sent them, charged for forged ones; null for our own file
   * @return how many were new to us
   */
  Future<Integer> acceptInfos(List<SignedNodeInfo> infos, PeerId relayer) {
    int limit = options.getMaxInfosPerResponse();
    List<SignedNodeInfo> batch = infos;
    if (infos.size() > limit) {
      stats.infosOverLimit.addAndGet(infos.size() - limit);
      batch = infos.subList(0, limit);
    }
    return verify(batch).map(checked -> {
      long now = clock.nowMillis();
      int accepted = 0;
      for (Checked c : checked) {
        if (apply(c, now)) {
          accepted++;
        }
      }
      // counted first, judged second: whoever sees the deny sees the rejections that caused it
      judgeRelayed(relayer, checked);
      return accepted;
    });
  }

  /** Signature and shape checks for a batch, off the loop. */
  Future<List<Checked>> verify(List<SignedNodeInfo> batch) {
    List<SignedNodeInfo> copy = List.copyOf(batch);
    return transport.offload(() -> {
      List<Checked> out = new ArrayList<>(copy.size());
      for (SignedNodeInfo signed : copy) {
        try {
          out.add(new Checked(transport.verify(signed), null));
        } catch (InvalidNodeInfoException e) {
          out.add(new Checked(null, e.reason()));
        }
      }
      return out;
    });
  }

  private void judgeRelayed(PeerId relayer, List<Checked> checked) {
    if (!stopped.getAsBoolean() && relayer != null) {
      reputation.judgeRelayed(relayer, checked.stream().map(Checked::reason).toList());
    }
  }

  /** Time and identity checks on a verified info, then the newer-wins insert. On the loop. */
  private boolean apply(Checked checked, long now) {
    if (stopped.getAsBoolean()) {
      return false;
    }
    Reason reason = checked.reason();
    VerifiedNodeInfo info = checked.info();
    if (reason == null && info.peerId().equals(self)) {
      reason = Reason.OWN_ID;
    } else if (reason == null && info.timestampMs() > now + options.getMaxFutureSkewMs()) {
      reason = Reason.FROM_FUTURE;
    } else if (reason == null && info.timestampMs() < now - options.getMaxInfoAgeMs()) {
      reason = Reason.TOO_OLD;
    }
    if (reason != null) {
      if (reason != Reason.OWN_ID) {
        stats.rejected(reason);
        LOG.debug("[{}] rejected a node info: {}", self.shortId(), reason);
      }
      return false;
    }
    if (unreachable.isBuried(info.peerId(), info.timestampMs(), now)) {
      stats.buriedInfosRefused.incrementAndGet();
      return false;
    }
    DiscoveryState.Upsert result = state.upsert(info.knownPeer());
    if (result == DiscoveryState.Upsert.SILENCED) {
      stats.silencedInfosRefused.incrementAndGet();
      return false;
    }
    if (result == DiscoveryState.Upsert.STALE) {
      return false;
    }
    stats.infosAccepted.incrementAndGet();
    markDirty.run();
    return true;
  }

  /** Whether {@code checked} is a verified info whose very timestamp we store for its peer. */
  private boolean isStored(Checked checked) {
    VerifiedNodeInfo info = checked.info();
    return !stopped.getAsBoolean() && info != null && state.get(info.peerId())
        .map(p -> p.timestampMs() == info.timestampMs()).orElse(false);
  }

  /** One info after the off-loop checks: either verified, or the reason it failed. */
  record Checked(VerifiedNodeInfo info, Reason reason) {
  }
}
