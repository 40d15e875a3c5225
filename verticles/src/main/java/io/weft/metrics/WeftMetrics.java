package io.weft.metrics;

import static io.weft.metrics.MetricNames.*;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.weft.bus.MailboxGate;
import io.weft.bus.Mailboxes;
import io.weft.chain.ChainVerificationException;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryAddresses;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.DiscoveryStats;
import io.weft.discovery.InvalidNodeInfoException;
import io.weft.network.ActivePeers;
import io.weft.network.NetworkAddresses;
import io.weft.network.NetworkStats;
import io.weft.reputation.PeerReputations;
import io.weft.sync.PeerHeights;
import io.weft.sync.SyncAddresses;
import io.weft.sync.SyncStats;
import io.weft.sync.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * One node's meters in a Prometheus {@link MeterRegistry}, all tagged {@code node=<short id>}:
 * function counters and gauges over the counters the features already keep ({@link NetworkStats},
 * {@link DiscoveryStats}, {@link SyncStats}) and over the node's shared state (read at scrape
 * time, under each structure's own lock), plus the RPC and event-loop timers it records as
 * {@link RpcMetrics} and {@link LoopMetrics}. Nothing here adds a lock to a hot path.
 *
 * <p>{@link #create} uses the Vert.x instance's own Prometheus registry when it was built with
 * Micrometer metrics (so Vert.x's metrics are in the same scrape), otherwise a registry of the
 * node's own. {@link #close()} removes this node's meters (and closes a registry it owns).
 */
public final class WeftMetrics implements RpcMetrics, LoopMetrics {

  /** What a node's meters read. */
  public record Sources(Vertx vertx, String namespace, NetworkStats network, DiscoveryStats discovery,
      SyncStats sync) {
    /** @param sync null when the node does not sync a chain */
    public Sources {
    }
  }

  /** Meters bound to each registry, so a scrape refreshes every node's per-peer rows. */
  private static final Map<MeterRegistry, Set<WeftMetrics>> BOUND = new ConcurrentHashMap<>();

  private final PrometheusMeterRegistry registry;
  private final boolean ownsRegistry;
  private final Tags node;
  private final ConcurrentLinkedQueue<Meter> meters = new ConcurrentLinkedQueue<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final LoopMaxima loopMaxima = new LoopMaxima();
  private volatile Sources sources;
  private volatile MultiGauge peerHeights;
  private volatile boolean closed;

  private WeftMetrics(PrometheusMeterRegistry registry, boolean ownsRegistry, PeerId node) {
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.node = Tags.of(NODE, node.shortId());
  }

  /** Meters for {@code node}, in the Vert.x registry when it is a Prometheus one, else in a new one. */
  public static WeftMetrics create(Vertx vertx, PeerId node) {
    PrometheusMeterRegistry shared = VertxRegistries.prometheusOf(vertx);
    return shared != null ? new WeftMetrics(shared, false, node)
        : new WeftMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true, node);
  }

  /** Meters for {@code node} in {@code registry}, which the caller keeps and closes. */
  public static WeftMetrics create(PrometheusMeterRegistry registry, PeerId node) {
    return new WeftMetrics(registry, false, node);
  }

  /** The longest time each loop handler ran since the last {@link LoopMaxima#drain()} (a window the timers cannot give). */
  public LoopMaxima loopMaxima() {
    return loopMaxima;
  }

  /** The registry the node's meters are in (Vert.x's own when it has one): what {@code /metrics} serves. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Whether this node's meters share the Vert.x instance's registry (Vert.x's own metrics included). */
  public boolean sharesVertxRegistry() {
    return !ownsRegistry;
  }

  /** The registry in the Prometheus text format, every node's per-peer rows refreshed first. */
  public String scrape() {
    refreshAll(registry);
    return registry.scrape();
  }

  /** Refreshes the per-peer rows of every node bound to {@code registry}. */
  public static void refreshAll(MeterRegistry registry) {
    BOUND.getOrDefault(registry, Set.of()).forEach(WeftMetrics::refresh);
  }

  /** Registers the gauges and counters over {@code sources}; call once, before the verticles deploy. */
  public WeftMetrics bind(Sources sources) {
    if (this.sources != null) {
      throw new IllegalStateException("already bound");
    }
    this.sources = sources;
    bindNetwork(sources);
    bindDiscovery(sources.discovery());
    bindMailbox(sources, "network", NetworkAddresses.mailbox(sources.namespace()));
    bindMailbox(sources, "discovery", DiscoveryAddresses.mailbox(sources.namespace()));
    if (sources.sync() != null) {
      bindSync(sources);
      bindMailbox(sources, "sync", SyncAddresses.mailbox(sources.namespace()));
      bindMailbox(sources, "consensus", SyncAddresses.consensus(sources.namespace()));
    }
    BOUND.computeIfAbsent(registry, r -> ConcurrentHashMap.newKeySet()).add(this);
    return this;
  }

  private void bindNetwork(Sources s) {
    NetworkStats n = s.network();
    ActivePeers active = ActivePeers.in(s.vertx(), s.namespace());
    DiscoveryState known = DiscoveryState.in(s.vertx(), s.namespace());
    gauge(PEERS_CONNECTED, "Peers with a live connection", Tags.empty(), active, ActivePeers::size);
    gauge(PEERS_KNOWN, "Peers whose signed node info discovery holds", Tags.empty(), known, DiscoveryState::size);
    gauge(DISCOVERY_PEERS_SILENCED_HELD, "Silenced peers held for revival", Tags.empty(), known,
        DiscoveryState::silencedCount);
    PeerReputations reputations = PeerReputations.in(s.vertx(), s.namespace());
    gauge(PEERS_TRACKED, "Peers whose reputation the node keeps", Tags.empty(), reputations, PeerReputations::size);
    counter(REPUTATION_SKIPS, "Dial or fetch candidates passed over because denied", Tags.empty(), reputations,
        PeerReputations::skips);
    counter(NETWORK_DIALS, "Outbound connection attempts", n.dials);
    for (NetworkStats.DialFailure reason : NetworkStats.DialFailure.values()) {
      counter(NETWORK_DIAL_FAILURES, "Outbound dials that failed, by reason", Tags.of(REASON, reason.metricTag()),
          n, stats -> stats.dialFailures(reason));
    }
    counter(NETWORK_DUPLICATE_DIALS, "Dials joined to one already in flight", n.duplicateDials);
    counter(NETWORK_SIMULTANEOUS_DIALS, "Second links to a connected peer closed", n.simultaneousDialsResolved);
    counter(NETWORK_INBOUND_REFUSED, "Inbound connections refused", n.inboundRefused);
    counter(NETWORK_TLS_FAILURES, "Inbound TLS handshakes that failed", n.tlsFailures);
    counter(NETWORK_KEEPALIVE_LOSSES, "Connections closed for missed keep-alive pings", n.keepAliveLosses);
    counter(NETWORK_MALFORMED_REQUESTS, "RPC requests that did not decode", n.malformedRequests);
  }

  private void bindDiscovery(DiscoveryStats d) {
    counter(DISCOVERY_TICKS, "Discovery loop ticks", d.ticks);
    counter(DISCOVERY_QUERIES, "GetKnownPeers queries sent", d.queries);
    counter(DISCOVERY_QUERY_FAILURES, "GetKnownPeers queries that failed", d.queryFailures);
    counter(DISCOVERY_INFOS_ACCEPTED, "Signed node infos accepted", d.infosAccepted);
    String rejected = "Signed node infos refused, by reason";
    for (InvalidNodeInfoException.Reason reason : InvalidNodeInfoException.Reason.values()) {
      counter(DISCOVERY_INFOS_REJECTED, rejected, Tags.of(REASON, reason.metricTag()), d, st -> st.rejectedCount(reason));
    }
    counter(DISCOVERY_INFOS_REJECTED, rejected, Tags.of(REASON, "over_limit"), d.infosOverLimit, AtomicLong::get);
    counter(DISCOVERY_DIALS, "Dials discovery asked for", d.dials);
    counter(DISCOVERY_DIAL_FAILURES, "Dials discovery asked for that failed", d.dialFailures);
    counter(DISCOVERY_CONNECT_BACK_DROPPED, "Connect-backs dropped on a full mailbox", d.connectBackDropped);
    counter(DISCOVERY_RATE_LIMITED, "GetKnownPeers calls refused by the rate limit", d.rateLimited);
    counter(DISCOVERY_PEERS_FORGOTTEN, "Known peers forgotten after unreachable dials in a row", d.peersForgotten);
    counter(DISCOVERY_BURIED_INFOS_REFUSED, "Relayed infos refused: peers forgotten as unreachable", d.buriedInfosRefused);
    counter(DISCOVERY_PEERS_SILENCED, "Known peers silenced: nobody vouched for them within the liveness TTL", d.peersSilenced);
    counter(DISCOVERY_PEERS_REVIVED, "Silenced peers brought back by a vouch, a connection or a newer info", d.peersRevived);
    String exchanges = "ExchangeLiveness calls made, by outcome";
    counter(DISCOVERY_LIVENESS_EXCHANGES, exchanges, Tags.of("outcome", "ok"), d, st -> st.livenessExchanges.get() - st.livenessFailures.get());
    counter(DISCOVERY_LIVENESS_EXCHANGES, exchanges, Tags.of("outcome", "failed"), d.livenessFailures, AtomicLong::get);
    counter(DISCOVERY_LIVENESS_DIGESTS_REJECTED, "Malformed liveness digests refused", d.livenessDigestsRejected);
  }

  private void bindSync(Sources s) {
    SyncStats st = s.sync();
    SyncStatus status = SyncStatus.in(s.vertx(), s.namespace());
    PeerHeights heights = PeerHeights.in(s.vertx(), s.namespace());
    gauge(SYNC_HIGHEST_SYNCED, "Highest commit applied", Tags.empty(), status, x -> x.get().highestSynced());
    gauge(SYNC_HIGHEST_KNOWN, "Highest commit a peer on our chain claims", Tags.empty(), heights,
        h -> highestKnown(h, status));
    gauge(SYNC_LAG, "Highest known minus highest synced commit", Tags.empty(), heights,
        h -> Math.max(0, highestKnown(h, status) - status.get().highestSynced()));
    peerHeights = MultiGauge.builder(SYNC_PEER_HEIGHT).tags(node)
        .description("Highest commit each peer on our chain claims").register(registry);
    counter(SYNC_COMMITS_APPLIED, "Commits applied", st.commitsApplied);
    counter(SYNC_BLOCKS_APPLIED, "Blocks applied", st.blocksApplied);
    registered(FunctionCounter.builder(SYNC_FETCHED_BYTES, st.bytesFetched, AtomicLong::get).tags(node)
        .baseUnit(BaseUnits.BYTES).description("Bytes of commits and blocks fetched").register(registry));
    counter(SYNC_BATCHES_FETCHED, "Batches fetched", st.batchesFetched);
    counter(SYNC_FETCH_FAILURES, "Fetches that failed", st.fetchFailures);
    for (ChainVerificationException.Reason reason : ChainVerificationException.Reason.values()) {
      counter(SYNC_VERIFICATION_FAILURES, "Fetched batches that failed verification, by reason",
          Tags.of(REASON, reason.metricTag()), st, x -> x.verificationFailures(reason));
    }
    counter(SYNC_PENALTIES, "Offences charged to peers that served bad data", st.offences);
    counter(SYNC_DENIALS, "Peers denied after too many offences", st.denials);
    counter(SYNC_LOCAL_COMMITS_APPLIED, "Commits from local consensus applied", st.localCommitsApplied);
    counter(SYNC_LOCAL_COMMITS_REJECTED, "Commits from local consensus refused", st.localCommitsRejected);
    counter(SYNC_STORE_FAILURES, "Store writes that failed", st.storeFailures);
    counter(SYNC_PUSHES_SENT, "PushCommit calls sent", st.pushesSent);
    counter(SYNC_STALL_ROTATIONS, "Times the stall watchdog forgot in-flight fetches and rested their peers", st.stallRotations);
    counter(SYNC_BUSY_REFUSALS, "Fetches a peer refused as busy (its serving budget spent)", st.busyRefusals);
    counter(SYNC_SERVING_REFUSED, "FetchCommits refused past this node's serving budget", st.servingRefused);
    counter(SYNC_EXECUTORS_DROPPED, "Executors unregistered for not acknowledging in time", st.executorsDropped);
  }

  private static long highestKnown(PeerHeights heights, SyncStatus status) {
    SyncStatus.Snapshot now = status.get();
    return now.genesis() == null ? 0 : heights.highestKnown(now.genesis());
  }

  private void bindMailbox(Sources s, String name, String address) {
    Tags tags = Tags.of(MAILBOX, name);
    Vertx vertx = s.vertx();
    gauge(MAILBOX_DEPTH, "Messages admitted to a mailbox and not yet handled", tags, vertx,
        v -> gateValue(v, address, MailboxGate::depth));
    gauge(MAILBOX_CAPACITY, "Capacity of a mailbox", tags, vertx, v -> gateValue(v, address, MailboxGate::capacity));
    counter(MAILBOX_ACCEPTED, "Messages admitted to a mailbox", tags, vertx,
        v -> gateValue(v, address, MailboxGate::accepted));
    counter(MAILBOX_DROPPED, "Messages refused by a full mailbox", tags, vertx,
        v -> gateValue(v, address, MailboxGate::dropped));
  }

  private static double gateValue(Vertx vertx, String address, ToDoubleFunction<MailboxGate> read) {
    MailboxGate gate = Mailboxes.gate(vertx, address);
    return gate == null ? 0 : read.applyAsDouble(gate);
  }

  /** Replaces the per-peer height rows with the peers PeerHeights holds now. */
  private void refresh() {
    Sources s = sources;
    MultiGauge multi = peerHeights;
    if (closed || s == null || multi == null) {
      return;
    }
    SyncStatus.Snapshot now = SyncStatus.in(s.vertx(), s.namespace()).get();
    List<MultiGauge.Row<?>> rows = now.genesis() == null ? List.of()
        : PeerHeights.in(s.vertx(), s.namespace()).onChain(now.genesis()).stream()
            .<MultiGauge.Row<?>>map(info -> MultiGauge.Row.of(Tags.of(PEER, info.peerId().shortId()), info.height()))
            .toList();
    multi.register(rows, true);
  }

  @Override
  public void rpcCompleted(String method, String outcome, long nanos) {
    if (closed) {
      return;
    }
    timers.computeIfAbsent(method + ' ' + outcome, k -> registered(Timer.builder(RPC_SERVER_REQUESTS)
        .description("Inbound RPCs from request to the response's end")
        .tags(node).tags(METHOD, method, OUTCOME, outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry))).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public void handled(String loop, String handler, long nanos) {
    if (closed) {
      return;
    }
    loopMaxima.record(loop, handler, nanos);
    timers.computeIfAbsent("loop " + loop + ' ' + handler, k -> registered(Timer.builder(LOOP_HANDLER)
        .description("Time a handler held its event loop")
        .tags(node).tags(LOOP, loop, HANDLER, handler)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(1))
        .register(registry))).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Removes this node's meters from the registry, and closes the registry if it is the node's own. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    BOUND.computeIfPresent(registry, (r, set) -> {
      set.remove(this);
      return set.isEmpty() ? null : set;
    });
    MultiGauge multi = peerHeights;
    if (multi != null) {
      multi.register(List.of(), true);
    }
    for (Meter meter; (meter = meters.poll()) != null; ) {
      registry.remove(meter);
    }
    timers.clear();
    if (ownsRegistry) {
      registry.close();
    }
  }

  private <T> void gauge(String name, String help, Tags tags, T source, ToDoubleFunction<T> read) {
    registered(Gauge.builder(name, source, read).tags(node).tags(tags).description(help)
        .strongReference(true).register(registry));
  }

  private void counter(String name, String help, AtomicLong value) {
    counter(name, help, Tags.empty(), value, AtomicLong::get);
  }

  private <T> void counter(String name, String help, Tags tags, T source, ToDoubleFunction<T> read) {
    registered(FunctionCounter.builder(name, source, read).tags(node).tags(tags).description(help).register(registry));
  }

  private <M extends Meter> M registered(M meter) {
    meters.add(meter);
    return meter;
  }
}
