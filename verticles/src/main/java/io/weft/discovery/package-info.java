/**
 * Peer discovery.
 *
 * <ul>
 *   <li>{@link io.weft.discovery.DiscoveryLoop}: every decision (what to accept, whom to ask, whom
 *       to dial, when to redial), with time, randomness and I/O behind
 *       {@link io.weft.discovery.DiscoveryTransport}; single-threaded. Its loop-owned parts:
 *       {@link io.weft.discovery.DialPlanner} (which peers to dial, in what order, the dials in
 *       flight), {@link io.weft.discovery.Seeds} (dialling the seeds, leaving them at the target)
 *       {@link io.weft.discovery.NodeInfoIntake} (verifying and keeping received infos) and
 *       {@link io.weft.discovery.LivenessGossip} (liveness rounds: silence the unvouched, swap
 *       digests with a random connected peer).</li>
 *   <li>{@link io.weft.discovery.DiscoveryVerticle}: runs the loop on its own event loop (tick
 *       timer, peer events, connect-back mailbox); signature checks and the known-peers file run
 *       on the worker pool, tracked and awaited on undeploy.</li>
 *   <li>{@link io.weft.discovery.DiscoveryRpcHandler}: the GetKnownPeers and ExchangeLiveness
 *       server, on the network loop: per-peer rate limits, the peers first learnt most recently
 *       then a random sample, private peers never advertised nor vouched for
 *       ({@link io.weft.discovery.KnownPeersServing}, {@link io.weft.discovery.LivenessServing}).</li>
 *   <li>{@link io.weft.discovery.UnreachablePeers}: loop-owned; counts our own unreachable dials
 *       per peer and the infos buried when a peer is forgotten for them (bounded).</li>
 *   <li>{@link io.weft.discovery.DiscoveryState} (shared module): our signed info and the known
 *       peers, read-write locked, in the node's local map; written by the loop (and by the
 *       ExchangeLiveness handler: vouches, revivals), read by the RPC handlers. Infos are kept as
 *       the exact bytes received and signed. Its {@code LivenessTable}: when each peer was last
 *       heard of, and the peers silenced for want of vouches, held for revival.</li>
 * </ul>
 *
 * <p>Invariants: a known peer's info always verified under its own key, its timestamp within
 * [now − 24 h, now + 30 s] when accepted, and only ever replaced by a newer one; our own id is
 * never stored; a lost peer stays known and is redialled with backoff, until our own dials find
 * nobody at its address {@code dropAfterFailedDials} times in a row while we reach others (never
 * on a third party's word), or nobody vouched for it within {@code livenessTtlMs} (then it is
 * silenced and held: any fresh vouch, connection or newer info brings it back; a third party can
 * keep a peer listed, never remove one).
 */
package io.weft.discovery;
