package io.weft.sync;

import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns what peers hold into {@link PeerHeights}: a new peer is probed (GetCommitInfo of commit 0
 * for its genesis, then GetCommitAvailability), a known one refreshed (GetCommitAvailability, its
 * height only raised). Each answer is a round-trip time sample for the {@link PeerSelector}, the
 * peer's reputation and the operators' {@link PeerRtts}. Loop-owned.
 */
final class PeerProbes {

  private static final Logger LOG = LoggerFactory.getLogger(PeerProbes.class);

  private final String self;
  private final PeerHeights heights;
  private final PeerRtts rtts;
  private final PeerSelector selector;
  private final PeerReputations reputations;
  private final SyncTransport transport;
  private final Clock clock;
  private final Runnable onProbed;

  /** @param onProbed run after each successful probe (a peer may now serve what we lack) */
  PeerProbes(String self, PeerHeights heights, PeerRtts rtts, PeerSelector selector, PeerReputations reputations,
      SyncTransport transport, Clock clock, Runnable onProbed) {
    this.self = self;
    this.heights = heights;
    this.rtts = rtts;
    this.selector = selector;
    this.reputations = reputations;
    this.transport = transport;
    this.clock = clock;
    this.onProbed = onProbed;
  }

  /** Asks {@code peer} for its genesis and availability; a peer on another chain is recorded as such. */
  void probe(PeerId peer) {
    long sent = clock.nowMillis();
    transport.genesisOf(peer)
        .compose(info -> transport.availability(peer).map(availability -> {
          recordRtt(peer, clock.nowMillis() - sent);
          if (info.hasInfo() && info.getInfo().getIndex() == 0) {
            heights.put(peer, Digest.of(info.getInfo().getDigest().toByteArray()),
                availability.getHighestSyncedCommit(), availability.getLowestAvailableCommit());
            LOG.debug("[{}] peer {} holds chain {} up to {}", self, peer.shortId(),
                Digest.of(info.getInfo().getDigest().toByteArray()).shortHex(), availability.getHighestSyncedCommit());
          }
          return null;
        }))
        .onSuccess(v -> onProbed.run())
        .onFailure(e -> LOG.debug("[{}] could not probe {}: {}", self, peer.shortId(), e.getMessage()));
  }

  /** Asks a known {@code peer} how far it is now. */
  void refresh(PeerId peer) {
    long sent = clock.nowMillis();
    transport.availability(peer).onSuccess(availability -> {
      recordRtt(peer, clock.nowMillis() - sent);
      heights.raiseHeight(peer, availability.getHighestSyncedCommit());
    });
  }

  /** {@code peer} is gone: its height and round-trip time are forgotten. */
  void forget(PeerId peer) {
    heights.remove(peer);
    selector.forget(peer);
    rtts.remove(peer);
  }

  private void recordRtt(PeerId peer, long sampleMs) {
    selector.recordRtt(peer, sampleMs);
    reputations.rtt(peer, sampleMs, clock.nowMillis());
    rtts.put(peer, Math.round(selector.rtt(peer)));
  }
}
