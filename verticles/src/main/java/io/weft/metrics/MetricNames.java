package io.weft.metrics;

/**
 * Names and tag keys of Weft's meters. Each name is the Micrometer name; the Prometheus registry
 * appends the unit and {@code _total} (counters), {@code _seconds} (timers) or {@code _bytes}, as
 * noted on each constant. Every meter carries {@link #NODE}.
 */
public final class MetricNames {

  /** Tag: the node's short peer id (8 hex characters). */
  public static final String NODE = "node";
  /** Tag: a peer's short id (per-peer heights only; bounded by the peers we track). */
  public static final String PEER = "peer";
  /** Tag: why something failed or was refused (lower_snake case). */
  public static final String REASON = "reason";
  /** Tag: a mailbox ({@code network}, {@code discovery}, {@code sync}, {@code consensus}). */
  public static final String MAILBOX = "mailbox";
  /** Tag: a gRPC method name, or {@code unknown} for a path the service does not have. */
  public static final String METHOD = "method";
  /** Tag: {@code ok}, the gRPC status in lower case, or {@code cancelled} (stream reset). */
  public static final String OUTCOME = "outcome";
  /** Tag: an event loop ({@code network}, {@code discovery}, {@code sync}). */
  public static final String LOOP = "loop";
  /** Tag: what ran on the loop ({@code tick}, {@code rpc}, {@code connection_request}). */
  public static final String HANDLER = "handler";

  // connections and discovery
  /** Gauge {@code weft_peers_connected}. */
  public static final String PEERS_CONNECTED = "weft_peers_connected";
  /** Gauge {@code weft_peers_known}: signed infos held by discovery. */
  public static final String PEERS_KNOWN = "weft_peers_known";
  /** Gauge {@code weft_peers_tracked}: peers whose reputation the node keeps. */
  public static final String PEERS_TRACKED = "weft_peers_tracked";
  /** Counter {@code weft_reputation_skips_total}: candidates for a dial or a fetch passed over because denied. */
  public static final String REPUTATION_SKIPS = "weft_reputation_skips";
  /** Counter {@code weft_network_dials_total}: outbound connection attempts. */
  public static final String NETWORK_DIALS = "weft_network_dials";
  /** Counter {@code weft_network_dial_failures_total{reason}}. */
  public static final String NETWORK_DIAL_FAILURES = "weft_network_dial_failures";
  /** Counter {@code weft_network_duplicate_dials_total}: dials joined to one in flight. */
  public static final String NETWORK_DUPLICATE_DIALS = "weft_network_duplicate_dials";
  /** Counter {@code weft_network_simultaneous_dials_resolved_total}. */
  public static final String NETWORK_SIMULTANEOUS_DIALS = "weft_network_simultaneous_dials_resolved";
  /** Counter {@code weft_network_inbound_refused_total}. */
  public static final String NETWORK_INBOUND_REFUSED = "weft_network_inbound_refused";
  /** Counter {@code weft_network_tls_failures_total}. */
  public static final String NETWORK_TLS_FAILURES = "weft_network_tls_failures";
  /** Counter {@code weft_network_keepalive_losses_total}: connections closed for missed keep-alive pings. */
  public static final String NETWORK_KEEPALIVE_LOSSES = "weft_network_keepalive_losses";
  /** Counter {@code weft_network_malformed_requests_total}: requests answered INVALID_ARGUMENT. */
  public static final String NETWORK_MALFORMED_REQUESTS = "weft_network_malformed_requests";
  /** Counter {@code weft_discovery_ticks_total}. */
  public static final String DISCOVERY_TICKS = "weft_discovery_ticks";
  /** Counter {@code weft_discovery_queries_total}: GetKnownPeers sent. */
  public static final String DISCOVERY_QUERIES = "weft_discovery_queries";
  /** Counter {@code weft_discovery_query_failures_total}. */
  public static final String DISCOVERY_QUERY_FAILURES = "weft_discovery_query_failures";
  /** Counter {@code weft_discovery_infos_accepted_total}. */
  public static final String DISCOVERY_INFOS_ACCEPTED = "weft_discovery_infos_accepted";
  /** Counter {@code weft_discovery_infos_rejected_total{reason}} ({@code over_limit}: dropped unread). */
  public static final String DISCOVERY_INFOS_REJECTED = "weft_discovery_infos_rejected";
  /** Counter {@code weft_discovery_dials_total}: dials asked of the connection manager. */
  public static final String DISCOVERY_DIALS = "weft_discovery_dials";
  /** Counter {@code weft_discovery_dial_failures_total}. */
  public static final String DISCOVERY_DIAL_FAILURES = "weft_discovery_dial_failures";
  /** Counter {@code weft_discovery_connect_back_dropped_total}: mailbox full. */
  public static final String DISCOVERY_CONNECT_BACK_DROPPED = "weft_discovery_connect_back_dropped";
  /** Counter {@code weft_discovery_rate_limited_total}: GetKnownPeers answered RESOURCE_EXHAUSTED. */
  public static final String DISCOVERY_RATE_LIMITED = "weft_discovery_rate_limited";
  /** Counter {@code weft_discovery_peers_forgotten_total}: known peers our own dials could not reach, several times in a row. */
  public static final String DISCOVERY_PEERS_FORGOTTEN = "weft_discovery_peers_forgotten";
  /** Counter {@code weft_discovery_buried_infos_refused_total}: relayed infos of peers forgotten as unreachable. */
  public static final String DISCOVERY_BURIED_INFOS_REFUSED = "weft_discovery_buried_infos_refused";
  /** Counter {@code weft_discovery_peers_silenced_total}: known peers nobody vouched for within the liveness TTL. */
  public static final String DISCOVERY_PEERS_SILENCED = "weft_discovery_peers_silenced";
  /** Counter {@code weft_discovery_peers_revived_total}: silenced peers brought back by a vouch, a connection or a newer info. */
  public static final String DISCOVERY_PEERS_REVIVED = "weft_discovery_peers_revived";
  /** Gauge {@code weft_discovery_peers_silenced_held}: silenced peers held for revival. */
  public static final String DISCOVERY_PEERS_SILENCED_HELD = "weft_discovery_peers_silenced_held";
  /** Counter {@code weft_discovery_liveness_exchanges_total{outcome}}: ExchangeLiveness calls we made, ok or failed. */
  public static final String DISCOVERY_LIVENESS_EXCHANGES = "weft_discovery_liveness_exchanges";
  /** Counter {@code weft_discovery_liveness_digests_rejected_total}: malformed liveness digests refused. */
  public static final String DISCOVERY_LIVENESS_DIGESTS_REJECTED = "weft_discovery_liveness_digests_rejected";

  // state sync
  /** Gauge {@code weft_sync_peer_height{peer}}: each peer's claimed highest commit on our chain. */
  public static final String SYNC_PEER_HEIGHT = "weft_sync_peer_height";
  /** Gauge {@code weft_sync_highest_known}: highest commit any peer on our chain claims. */
  public static final String SYNC_HIGHEST_KNOWN = "weft_sync_highest_known";
  /** Gauge {@code weft_sync_highest_synced}: our highest applied commit. */
  public static final String SYNC_HIGHEST_SYNCED = "weft_sync_highest_synced";
  /** Gauge {@code weft_sync_lag}: highest known minus highest synced, never below 0 (commits). */
  public static final String SYNC_LAG = "weft_sync_lag";
  /** Counter {@code weft_sync_commits_applied_total}. */
  public static final String SYNC_COMMITS_APPLIED = "weft_sync_commits_applied";
  /** Counter {@code weft_sync_blocks_applied_total}. */
  public static final String SYNC_BLOCKS_APPLIED = "weft_sync_blocks_applied";
  /** Counter {@code weft_sync_fetched_bytes_total}. */
  public static final String SYNC_FETCHED_BYTES = "weft_sync_fetched";
  /** Counter {@code weft_sync_batches_fetched_total}. */
  public static final String SYNC_BATCHES_FETCHED = "weft_sync_batches_fetched";
  /** Counter {@code weft_sync_fetch_failures_total}. */
  public static final String SYNC_FETCH_FAILURES = "weft_sync_fetch_failures";
  /** Counter {@code weft_sync_verification_failures_total{reason}}. */
  public static final String SYNC_VERIFICATION_FAILURES = "weft_sync_verification_failures";
  /** Counter {@code weft_sync_penalties_total}: offences charged to peers that served bad data. */
  public static final String SYNC_PENALTIES = "weft_sync_penalties";
  /** Counter {@code weft_sync_denials_total}: peers disconnected and denied after too many offences. */
  public static final String SYNC_DENIALS = "weft_sync_denials";
  /** Counter {@code weft_sync_local_commits_applied_total}: from local consensus. */
  public static final String SYNC_LOCAL_COMMITS_APPLIED = "weft_sync_local_commits_applied";
  /** Counter {@code weft_sync_local_commits_rejected_total}. */
  public static final String SYNC_LOCAL_COMMITS_REJECTED = "weft_sync_local_commits_rejected";
  /** Counter {@code weft_sync_store_failures_total}. */
  public static final String SYNC_STORE_FAILURES = "weft_sync_store_failures";
  /** Counter {@code weft_sync_pushes_sent_total}: PushCommit to lower peers. */
  public static final String SYNC_PUSHES_SENT = "weft_sync_pushes_sent";
  /** Counter {@code weft_sync_stall_rotations_total}: the stall watchdog forgot in-flight fetches. */
  public static final String SYNC_STALL_ROTATIONS = "weft_sync_stall_rotations";
  /** Counter {@code weft_sync_busy_refusals_total}: our fetches a peer refused as busy (RESOURCE_EXHAUSTED). */
  public static final String SYNC_BUSY_REFUSALS = "weft_sync_busy_refusals";
  /** Counter {@code weft_sync_serving_refused_total}: FetchCommits we refused past our serving budget. */
  public static final String SYNC_SERVING_REFUSED = "weft_sync_serving_refused";
  /** Counter {@code weft_sync_executors_dropped_total}: executors silent beyond sync.executorAckTimeoutMs. */
  public static final String SYNC_EXECUTORS_DROPPED = "weft_sync_executors_dropped";

  // mailboxes
  /** Gauge {@code weft_mailbox_depth{mailbox}}: messages admitted and not yet handled. */
  public static final String MAILBOX_DEPTH = "weft_mailbox_depth";
  /** Gauge {@code weft_mailbox_capacity{mailbox}}. */
  public static final String MAILBOX_CAPACITY = "weft_mailbox_capacity";
  /** Counter {@code weft_mailbox_accepted_total{mailbox}}. */
  public static final String MAILBOX_ACCEPTED = "weft_mailbox_accepted";
  /** Counter {@code weft_mailbox_dropped_total{mailbox}}: refused because the mailbox was full. */
  public static final String MAILBOX_DROPPED = "weft_mailbox_dropped";

  // timers (histograms)
  /** Timer {@code weft_rpc_server_requests_seconds{method,outcome}}: inbound RPCs, request to last byte. */
  public static final String RPC_SERVER_REQUESTS = "weft_rpc_server_requests";
  /** Timer {@code weft_loop_handler_seconds{loop,handler}}: time a handler held its event loop. */
  public static final String LOOP_HANDLER = "weft_loop_handler";

  private MetricNames() {
  }
}
