/**
 * The connection manager and the gRPC service.
 *
 * <ul>
 *   <li>{@link io.weft.network.NetworkVerticle}: the verticle; serves gRPC over mutual TLS 1.3
 *       (Ed25519 certificates, {@code io.weft.network.tls.PeerTls}) and owns every connection.</li>
 *   <li>{@link io.weft.network.ConnectionManager}: dial with a 5 s deadline retried every 1 s,
 *       pin the expected peer id, one outbound connection per peer, keep-alive pings, limits.
 *       Loop-owned: runs only on the network verticle's event loop.</li>
 *   <li>{@link io.weft.network.ActivePeers} (shared module): the active set, a {@code Shareable}
 *       in the node's local map {@code <ns>.state}, read-write locked. Written only by the
 *       connection manager; read by discovery (and later sync) to find a peer's channel.</li>
 *   <li>{@link io.weft.network.RpcServer}: how features bind RPC handlers; every handler gets the
 *       caller's peer id from its TLS certificate.</li>
 * </ul>
 *
 * <p>Addresses ({@link io.weft.network.NetworkAddresses}): the bounded mailbox
 * {@code <ns>.network.mailbox} (Connect / Disconnect / Shutdown, capacity 1000, a full mailbox
 * fails the send at once and is counted) and the publish address {@code <ns>.network.peer-events}
 * (NewPeer / LostPeer as JSON).
 */
package io.weft.network;
