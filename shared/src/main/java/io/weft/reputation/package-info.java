/**
 * Persistent peer reputation: what each peer served, how it failed and what it forged, kept
 * across restarts. {@link io.weft.reputation.PeerReputations} is the shared table (local map
 * {@code <ns>.state}, key {@code peer-reputations}, one {@code LockedState} lock, bounded),
 * written by the sync loop (served batches, failures, offences, round-trip times) and the
 * discovery loop (relayed node infos that failed verification), read by both to choose peers;
 * {@link io.weft.reputation.ReputationScore} is the one scoring formula;
 * {@link io.weft.reputation.PeerReputationCodec} the compact value stored per peer. Every time
 * is wall-clock epoch milliseconds from the loops' {@code Clock}, so a deny survives a restart.
 *
 * <p>In the {@code verticles} module, the same package holds {@code ReputationOptions} (the
 * node's {@code reputation} config) and {@code ReputationVerticle}, which loads the store's
 * {@code peers} column family into the table at start, re-applies unexpired denies to the
 * connection manager, and writes changed records back on a timer and at stop, on a worker, in
 * order. A node without a store (no chain) keeps reputation in memory only.
 */
package io.weft.reputation;
