/**
 * Peer discovery.
 *
 * <ul>
 *   <li>{@link io.weft.discovery.DiscoveryLoop}: every decision (what to accept, whom to ask, whom
 *       to dial, when to redial), with time, randomness and I/O behind
 *       {@link io.weft.discovery.DiscoveryTransport}; single-threaded.</li>
 *   <li>{@link io.weft.discovery.DiscoveryVerticle}: runs the loop on its own event loop (tick
 *       timer, peer events, connect-back mailbox); signature checks and the known-peers file run
 *       on the worker pool, tracked and awaited on undeploy.</li>
 *   <li>{@link io.weft.discovery.DiscoveryRpcHandler}: the GetKnownPeers server, on the network
 *       loop: per-peer rate limit, sampling, private peers never advertised.</li>
 *   <li>{@link io.weft.discovery.DiscoveryState} (shared module): our signed info and the known
 *       peers, read-write locked, in the node's local map; written by the loop, read by the RPC
 *       handler. Infos are kept as the exact bytes received and signed.</li>
 * </ul>
 *
 * <p>Invariants: a known peer's info always verified under its own key, its timestamp within
 * [now − 24 h, now + 30 s] when accepted, and only ever replaced by a newer one; our own id is
 * never stored; a lost peer stays known and is redialled with backoff.
 */
package io.weft.discovery;
