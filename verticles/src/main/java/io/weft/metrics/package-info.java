/**
 * Metrics of a node: {@link io.weft.metrics.WeftMetrics} binds the node's {@code weft_*} meters
 * (names in {@link io.weft.metrics.MetricNames}, every one tagged {@code node=<short id>}) to a
 * Prometheus registry, and {@link io.weft.metrics.MetricsEndpoint} serves it as text.
 *
 * <p>Owns no state of its own beyond its meters: gauges and function counters read the features'
 * counters ({@code NetworkStats}, {@code DiscoveryStats}, {@code SyncStats}, atomics) and the
 * node's shared state ({@code ActivePeers}, {@code DiscoveryState}, {@code PeerHeights},
 * {@code SyncStatus}, the mailbox gates in {@code weft.mailboxes}) at scrape time, each under
 * its own lock, never two at once. Timers are recorded on the event loops through
 * {@link io.weft.metrics.RpcMetrics} and {@link io.weft.metrics.LoopMetrics}, whose {@code NOOP}
 * defaults keep the verticles usable without metrics. Tags are bounded: method names come from
 * the service definition (else {@code unknown}), reasons from enums, peers from the heights the
 * node tracks.
 */
package io.weft.metrics;
