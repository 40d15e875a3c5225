package io.weft.reputation;

import io.weft.crypto.PeerId;
import java.util.Objects;

/**
 * What one peer did for us, as an immutable value: sync batches it served ({@code successes},
 * with a smoothed throughput), fetches that failed without proof of bad faith ({@code failures}),
 * data that failed verification ({@code offences}), relayed node infos that failed verification
 * ({@code relayOffences}), offences since its last deny ({@code strikes}), its smoothed round-trip
 * time, until when it is denied and when we last heard of it. Times are epoch milliseconds.
 *
 * @param bytesPerSecond smoothed throughput of served batches; 0 before the first success
 * @param rttMs smoothed round-trip time; negative when never measured
 * @param deniedUntilMs 0 when never denied
 */
public record PeerReputation(PeerId peerId, long successes, long failures, long offences, long relayOffences,
    int strikes, double bytesPerSecond, double rttMs, long deniedUntilMs, long lastSeenMs) {

  /** Weight of a new sample in the smoothed throughput and round-trip time. */
  public static final double SMOOTHING = 0.3;

  public PeerReputation {
    Objects.requireNonNull(peerId, "peerId");
    if (successes < 0 || failures < 0 || offences < 0 || relayOffences < 0 || strikes < 0) {
      throw new IllegalArgumentException("negative count in the reputation of " + peerId.shortId());
    }
    if (!Double.isFinite(bytesPerSecond) || bytesPerSecond < 0 || !Double.isFinite(rttMs)) {
      throw new IllegalArgumentException("bad throughput or round-trip time in the reputation of " + peerId.shortId());
    }
  }

  /** A peer we have just heard of. */
  public static PeerReputation fresh(PeerId peer, long nowMs) {
    return new PeerReputation(peer, 0, 0, 0, 0, 0, 0, -1, 0, nowMs);
  }

  /** Whether it has served at least one batch (so its throughput is measured). */
  public boolean proven() {
    return successes > 0;
  }

  /** Whether anything beyond a round-trip time is known of it. */
  public boolean known() {
    return successes + failures + offences + relayOffences > 0;
  }

  public boolean isDenied(long nowMs) {
    return deniedUntilMs > nowMs;
  }

  /** It served {@code bytes} in {@code elapsedMs}. */
  PeerReputation served(long bytes, long elapsedMs, long nowMs) {
    double sample = Math.max(0, bytes) * 1000.0 / Math.max(1, elapsedMs);
    double smoothed = successes == 0 ? sample : bytesPerSecond * (1 - SMOOTHING) + sample * SMOOTHING;
    return new PeerReputation(peerId, successes + 1, failures, offences, relayOffences, strikes, smoothed,
        rttMs, deniedUntilMs, nowMs);
  }

  PeerReputation failed(long nowMs) {
    return new PeerReputation(peerId, successes, failures + 1, offences, relayOffences, strikes, bytesPerSecond,
        rttMs, deniedUntilMs, nowMs);
  }

  PeerReputation rtt(long sampleMs, long nowMs) {
    double sample = Math.max(0, sampleMs);
    double smoothed = rttMs < 0 ? sample : rttMs * (1 - SMOOTHING) + sample * SMOOTHING;
    return new PeerReputation(peerId, successes, failures, offences, relayOffences, strikes, bytesPerSecond,
        smoothed, deniedUntilMs, nowMs);
  }

  /**
   * One more offence of {@code kind}; at {@code maxStrikes} strikes since the last deny the peer
   * is denied until {@code nowMs + denyMs} and its strikes start again from 0. An offence while
   * denied (an answer that was already on its way) is counted but is no strike: the peer is not
   * denied again.
   */
  PeerReputation offence(Offence kind, int maxStrikes, long denyMs, long nowMs) {
    int newStrikes = isDenied(nowMs) ? strikes : strikes + 1;
    long until = deniedUntilMs;
    if (!isDenied(nowMs) && newStrikes >= maxStrikes) {
      newStrikes = 0;
      until = Math.max(until, nowMs + denyMs);
    }
    return new PeerReputation(peerId, successes, failures,
        offences + (kind == Offence.VERIFICATION ? 1 : 0), relayOffences + (kind == Offence.RELAY ? 1 : 0),
        newStrikes, bytesPerSecond, rttMs, until, nowMs);
  }

  PeerReputation deniedUntil(long untilMs, long nowMs) {
    return new PeerReputation(peerId, successes, failures, offences, relayOffences, strikes, bytesPerSecond,
        rttMs, Math.max(deniedUntilMs, untilMs), nowMs);
  }

  /** The same record with an ended deny cleared (the lifetime counts stay). */
  PeerReputation denialCleared() {
    return new PeerReputation(peerId, successes, failures, offences, relayOffences, strikes, bytesPerSecond,
        rttMs, 0, lastSeenMs);
  }

  /** What a peer did wrong. */
  public enum Offence {
    /** It served sync data that failed verification. */
    VERIFICATION,
    /** It relayed a node info that failed verification (bad signature, malformed). */
    RELAY
  }
}
