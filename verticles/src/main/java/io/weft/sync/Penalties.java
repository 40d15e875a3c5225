package io.weft.sync;

import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation.Offence;
import io.weft.reputation.PeerReputations;

/**
 * Offences of peers that served data failing verification, and who is denied until when, kept in
 * the node's {@link PeerReputations} (so a deny outlives a restart). A peer reaching
 * {@code maxOffences} strikes since its last deny (relayed invalid node infos count too) is denied
 * for {@code denyMs}; a denied peer is never chosen to serve. Loop-owned.
 */
final class Penalties {

  private final int maxOffences;
  private final long denyMs;
  private final PeerReputations reputations;

  /** Penalties kept in a table of their own, in memory. */
  Penalties(int maxOffences, long denyMs) {
    this(maxOffences, denyMs, new PeerReputations());
  }

  Penalties(int maxOffences, long denyMs, PeerReputations reputations) {
    this.maxOffences = maxOffences;
    this.denyMs = denyMs;
    this.reputations = reputations;
  }

  /** Records an offence; returns the time until which the peer is now denied, or -1. */
  long offence(PeerId peer, long nowMs) {
    return reputations.offence(peer, Offence.VERIFICATION, maxOffences, denyMs, nowMs);
  }

  /** Whether {@code peer} is denied now; a denied candidate is counted as a reputation skip. */
  boolean isDenied(PeerId peer, long nowMs) {
    boolean denied = reputations.isDenied(peer, nowMs);
    if (denied) {
      reputations.countSkip();
    }
    return denied;
  }

  /** Strikes since the peer's last deny. */
  int offences(PeerId peer) {
    return reputations.strikes(peer);
  }

  /** Clears denials that have run out, so they are written back as ended. */
  void expire(long nowMs) {
    reputations.expireDenials(nowMs);
  }
}
