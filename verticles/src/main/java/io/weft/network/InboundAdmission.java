package io.weft.network;

import io.weft.crypto.PeerId;
import java.util.Set;

/**
 * Whether an inbound connection is admitted once the caller's key is known: a denied peer never,
 * anyone else while fewer than {@code maxInboundConnections} inbound connections are open, an
 * allow-listed peer always. {@link NetworkVerticle} applies it to every TLS connection; the
 * simulator applies the same rule to every handshake.
 */
public final class InboundAdmission {

  /** Why a connection was refused. */
  public enum Refusal {
    DENIED, INBOUND_LIMIT
  }

  private final int maxInbound;
  private final Set<PeerId> allowlist;

  public InboundAdmission(int maxInbound, Set<PeerId> allowlist) {
    if (maxInbound < 0) {
      throw new IllegalArgumentException("maxInbound must not be negative, got " + maxInbound);
    }
    this.maxInbound = maxInbound;
    this.allowlist = Set.copyOf(allowlist);
  }

  /**
   * @param denied whether the connection manager refuses {@code caller} now
   * @param openInbound inbound connections open now (not counting this one)
   * @return null when admitted, else why not
   */
  public Refusal check(PeerId caller, boolean denied, int openInbound) {
    if (denied) {
      return Refusal.DENIED;
    }
    if (openInbound >= maxInbound && !allowlist.contains(caller)) {
      return Refusal.INBOUND_LIMIT;
    }
    return null;
  }

  public int maxInbound() {
    return maxInbound;
  }
}
