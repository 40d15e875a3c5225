package io.weft.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.config.Json;
import io.weft.crypto.PeerId;
import io.weft.network.HostPort;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of peer discovery, read from the {@code discovery} object of the node's JSON config.
 * Defaults are the reference's.
 */
public class DiscoveryOptions {

  /** A peer to dial at start: an address, and the peer id when known (else learnt from its certificate). */
  public record Seed(String address, PeerId peerId) {
    public Seed {
      HostPort.parse(address);
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("address", address);
      return peerId == null ? json : json.put("peerId", peerId.toHex());
    }

    static Seed fromJson(JsonObject json, String what) {
      Json.check(json, what, "address", "peerId");
      String id = Json.stringValue(json, what, "peerId", null);
      return new Seed(Json.stringValue(json, what, "address", null), id == null ? null : PeerId.fromHex(id));
    }
  }

  /** The most entries a liveness digest may carry on the wire (what a receiver accepts at most). */
  public static final int MAX_LIVENESS_ENTRIES = 16_384;
  public static final long DEFAULT_TICK_INTERVAL_MS = 5_000;
  public static final int DEFAULT_PEERS_TO_QUERY = 5;
  public static final long DEFAULT_QUERY_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_INFOS_PER_RESPONSE = 1000;
  public static final int DEFAULT_MAX_PEERS_TO_SEND = 200;
  public static final long DEFAULT_MAX_INFO_AGE_MS = 24L * 60 * 60 * 1000;
  public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 30_000;
  public static final int DEFAULT_TARGET_CONCURRENT_CONNECTIONS = 20;
  public static final int DEFAULT_MAILBOX_CAPACITY = 1000;
  public static final double DEFAULT_GET_KNOWN_PEERS_PER_SECOND = 2.0;
  public static final int DEFAULT_GET_KNOWN_PEERS_BURST = 10;
  public static final long DEFAULT_REDIAL_MIN_MS = 1_000;
  public static final long DEFAULT_REDIAL_MAX_MS = 5 * 60 * 1000;
  /**
   * Dials beyond {@code targetConcurrentConnections} allowed at once to reach peers whose signed
   * data range covers the commit sync needs next, when no connected peer covers it.
   */
  public static final int DEFAULT_MAX_RANGE_DIALS = 2;
  /**
   * How many of the peers a node first learnt most recently lead each GetKnownPeers answer (ahead
   * of the random sample; within {@code maxPeersToSend}), so a new node's info spreads to every
   * table in a few hops. 0 turns it off; at most 256.
   */
  public static final int DEFAULT_FRESH_PEERS_TO_SEND = 64;
  /**
   * After this many dials in a row that could not reach a known peer (timed out or refused; not
   * our own refusals such as a denial or the connection limit), made while we are connected to
   * someone else, the peer is forgotten and that very signed info is refused from relays; a newer
   * info, or a connection from the peer, brings it back. 0 never forgets an unreachable peer.
   */
  public static final int DEFAULT_DROP_AFTER_FAILED_DIALS = 3;
  /** How long the info of a peer forgotten as unreachable is refused from relays (at most: until it expires). */
  public static final long DEFAULT_DROPPED_INFO_HOLD_MS = 60L * 60 * 1000;
  /**
   * Our unchanged info is re-signed when it is this old, as a liveness signal: with a short
   * {@code maxInfoAgeMs} a departed node's info then leaves every table within {@code maxInfoAgeMs}.
   * 0 = half {@code maxInfoAgeMs} (values above that act as it). Each re-sign costs every other
   * node one signature check.
   */
  public static final long DEFAULT_INFO_REFRESH_MS = 0;
  /**
   * Whether a node disconnects from the seeds once it holds {@code targetConcurrentConnections}
   * connections, at least half of them to other peers (unless a seed is allow-listed), so the seeds' inbound slots stay free for
   * newcomers and do not end as everyone's sync server; a shed seed is held off like any peer
   * that was disconnected on request.
   */
  public static final boolean DEFAULT_SHED_SEEDS = true;
  /**
   * With {@code shedSeeds}, how many connected seeds a node keeps (chosen by both ids, so nodes
   * spread over the seeds): a joiner hands its info to the seeds first, and nodes still querying a
   * seed pull it on at once (fresh-first answers), which keeps tables closer to the live set under
   * churn. Only for seeds whose {@code network.maxInboundConnections} allows about N / seeds
   * nodes: a seed filled by nodes that keep it refuses newcomers for good (a 1,000-node simulation
   * with seeds at the default limit of 40 never bootstrapped). So the default, 0, leaves every seed.
   */
  public static final int DEFAULT_SEEDS_KEPT = 0;
  /**
   * How often a node swaps liveness digests with one random connected peer (ExchangeLiveness):
   * who it heard from recently, and how long ago.
   */
  public static final long DEFAULT_LIVENESS_INTERVAL_MS = 500;
  /**
   * A known peer nobody vouched for within this time is silenced: out of the table (not served,
   * not dialled), held so a fresh vouch or a newer info brings it back. Allow-listed, seed and
   * private peers are never silenced. 0 turns liveness gossip off (the reference's
   * behaviour: a departed peer stays listed until its info is {@code maxInfoAgeMs} old).
   * With more known peers than {@code livenessMaxEntries} the interval grows in proportion and
   * the TTL with its square ({@link #livenessScale}).
   */
  public static final long DEFAULT_LIVENESS_TTL_MS = 6_000;
  /** Entries in one liveness digest, sent or accepted (8-byte id prefix and an age, ~10 bytes each). */
  public static final int DEFAULT_LIVENESS_MAX_ENTRIES = 2_048;
  /**
   * Infos of the peers first learnt most recently that lead each ExchangeLiveness answer (public
   * ones, never the caller's; at most {@value #MAX_LIVENESS_FRESH_INFOS}), so a joiner's info
   * reaches every table within seconds, not discovery ticks. 0 sends none.
   */
  public static final int DEFAULT_LIVENESS_FRESH_INFOS = 16;
  /** The most fresh infos an ExchangeLiveness answer may carry (what a receiver accepts at most). */
  public static final int MAX_LIVENESS_FRESH_INFOS = 64;
  /** ExchangeLiveness calls a second served per caller (a burst of twice that); the rest RESOURCE_EXHAUSTED. */
  public static final double DEFAULT_LIVENESS_EXCHANGES_PER_SECOND = 4.0;

  private long tickIntervalMs = DEFAULT_TICK_INTERVAL_MS;
  private int peersToQuery = DEFAULT_PEERS_TO_QUERY;
  private long queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS;
  private int maxInfosPerResponse = DEFAULT_MAX_INFOS_PER_RESPONSE;
  private int maxPeersToSend = DEFAULT_MAX_PEERS_TO_SEND;
  private long maxInfoAgeMs = DEFAULT_MAX_INFO_AGE_MS;
  private long maxFutureSkewMs = DEFAULT_MAX_FUTURE_SKEW_MS;
  private int targetConcurrentConnections = DEFAULT_TARGET_CONCURRENT_CONNECTIONS;
  private int mailboxCapacity = DEFAULT_MAILBOX_CAPACITY;
  private double getKnownPeersPerSecond = DEFAULT_GET_KNOWN_PEERS_PER_SECOND;
  private int getKnownPeersBurst = DEFAULT_GET_KNOWN_PEERS_BURST;
  private long redialMinMs = DEFAULT_REDIAL_MIN_MS;
  private long redialMaxMs = DEFAULT_REDIAL_MAX_MS;
  private int maxRangeDials = DEFAULT_MAX_RANGE_DIALS;
  private int freshPeersToSend = DEFAULT_FRESH_PEERS_TO_SEND;
  private int dropAfterFailedDials = DEFAULT_DROP_AFTER_FAILED_DIALS;
  private long droppedInfoHoldMs = DEFAULT_DROPPED_INFO_HOLD_MS;
  private long infoRefreshMs = DEFAULT_INFO_REFRESH_MS;
  private boolean shedSeeds = DEFAULT_SHED_SEEDS;
  private int seedsKept = DEFAULT_SEEDS_KEPT;
  private long livenessIntervalMs = DEFAULT_LIVENESS_INTERVAL_MS;
  private long livenessTtlMs = DEFAULT_LIVENESS_TTL_MS;
  private int livenessMaxEntries = DEFAULT_LIVENESS_MAX_ENTRIES;
  private double livenessExchangesPerSecond = DEFAULT_LIVENESS_EXCHANGES_PER_SECOND;
  private int livenessFreshInfos = DEFAULT_LIVENESS_FRESH_INFOS;
  private boolean privateAccess;
  private List<Seed> seeds = new ArrayList<>();
  private List<Seed> allowlistedPeers = new ArrayList<>();

  public DiscoveryOptions() {
  }

  public DiscoveryOptions(DiscoveryOptions other) {
    this(other.toJson());
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public DiscoveryOptions(JsonObject json) {
    Json.check(json, "discovery", "tickIntervalMs", "peersToQuery", "queryTimeoutMs",
        "maxInfosPerResponse", "maxPeersToSend", "maxInfoAgeMs", "maxFutureSkewMs",
        "targetConcurrentConnections", "mailboxCapacity", "getKnownPeersPerSecond",
        "getKnownPeersBurst", "redialMinMs", "redialMaxMs", "maxRangeDials", "freshPeersToSend",
        "dropAfterFailedDials", "droppedInfoHoldMs", "infoRefreshMs", "shedSeeds", "seedsKept", "livenessIntervalMs", "livenessTtlMs",
        "livenessMaxEntries", "livenessExchangesPerSecond", "livenessFreshInfos", "access", "seeds",
        "allowlistedPeers");
    setTickIntervalMs(Json.longValue(json, "discovery", "tickIntervalMs", DEFAULT_TICK_INTERVAL_MS));
    setPeersToQuery(Json.intValue(json, "discovery", "peersToQuery", DEFAULT_PEERS_TO_QUERY));
    setQueryTimeoutMs(Json.longValue(json, "discovery", "queryTimeoutMs", DEFAULT_QUERY_TIMEOUT_MS));
    setMaxInfosPerResponse(Json.intValue(json, "discovery", "maxInfosPerResponse", DEFAULT_MAX_INFOS_PER_RESPONSE));
    setMaxPeersToSend(Json.intValue(json, "discovery", "maxPeersToSend", DEFAULT_MAX_PEERS_TO_SEND));
    setMaxInfoAgeMs(Json.longValue(json, "discovery", "maxInfoAgeMs", DEFAULT_MAX_INFO_AGE_MS));
    setMaxFutureSkewMs(Json.longValue(json, "discovery", "maxFutureSkewMs", DEFAULT_MAX_FUTURE_SKEW_MS));
    setTargetConcurrentConnections(Json.intValue(json, "discovery", "targetConcurrentConnections",
        DEFAULT_TARGET_CONCURRENT_CONNECTIONS));
    setMailboxCapacity(Json.intValue(json, "discovery", "mailboxCapacity", DEFAULT_MAILBOX_CAPACITY));
    setGetKnownPeersPerSecond(Json.doubleValue(json, "discovery", "getKnownPeersPerSecond", DEFAULT_GET_KNOWN_PEERS_PER_SECOND));
    setGetKnownPeersBurst(Json.intValue(json, "discovery", "getKnownPeersBurst", DEFAULT_GET_KNOWN_PEERS_BURST));
    setRedialMinMs(Json.longValue(json, "discovery", "redialMinMs", DEFAULT_REDIAL_MIN_MS));
    setRedialMaxMs(Json.longValue(json, "discovery", "redialMaxMs", DEFAULT_REDIAL_MAX_MS));
    setMaxRangeDials(Json.intValue(json, "discovery", "maxRangeDials", DEFAULT_MAX_RANGE_DIALS));
    setFreshPeersToSend(Json.intValue(json, "discovery", "freshPeersToSend", DEFAULT_FRESH_PEERS_TO_SEND));
    setDropAfterFailedDials(Json.intValue(json, "discovery", "dropAfterFailedDials", DEFAULT_DROP_AFTER_FAILED_DIALS));
    setDroppedInfoHoldMs(Json.longValue(json, "discovery", "droppedInfoHoldMs", DEFAULT_DROPPED_INFO_HOLD_MS));
    setInfoRefreshMs(Json.longValue(json, "discovery", "infoRefreshMs", DEFAULT_INFO_REFRESH_MS));
    setShedSeeds(Json.booleanValue(json, "discovery", "shedSeeds", DEFAULT_SHED_SEEDS));
    setSeedsKept(Json.intValue(json, "discovery", "seedsKept", DEFAULT_SEEDS_KEPT));
    setLivenessIntervalMs(Json.longValue(json, "discovery", "livenessIntervalMs", DEFAULT_LIVENESS_INTERVAL_MS));
    setLivenessTtlMs(Json.longValue(json, "discovery", "livenessTtlMs", DEFAULT_LIVENESS_TTL_MS));
    setLivenessMaxEntries(Json.intValue(json, "discovery", "livenessMaxEntries", DEFAULT_LIVENESS_MAX_ENTRIES));
    setLivenessExchangesPerSecond(Json.doubleValue(json, "discovery", "livenessExchangesPerSecond",
        DEFAULT_LIVENESS_EXCHANGES_PER_SECOND));
    setLivenessFreshInfos(Json.intValue(json, "discovery", "livenessFreshInfos", DEFAULT_LIVENESS_FRESH_INFOS));
    String access = Json.stringValue(json, "discovery", "access", "public");
    if (!access.equals("public") && !access.equals("private")) {
      throw new IllegalArgumentException("discovery.access must be \"public\" or \"private\", got " + access);
    }
    setPrivateAccess(access.equals("private"));
    seeds = seeds(Json.array(json, "discovery", "seeds"), "discovery.seeds[]");
    allowlistedPeers = seeds(Json.array(json, "discovery", "allowlistedPeers"),
        "discovery.allowlistedPeers[]");
    for (Seed peer : allowlistedPeers) {
      if (peer.peerId() == null) {
        throw new IllegalArgumentException("discovery.allowlistedPeers[] needs a peerId: " + peer.address());
      }
    }
  }

  private static List<Seed> seeds(JsonArray array, String what) {
    List<Seed> list = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject seed)) {
        throw new IllegalArgumentException("config field '" + what + "' must hold objects, got "
            + array.getValue(i));
      }
      list.add(Seed.fromJson(seed, what));
    }
    return list;
  }

  public JsonObject toJson() {
    JsonArray seedArray = new JsonArray();
    seeds.forEach(s -> seedArray.add(s.toJson()));
    JsonArray allowArray = new JsonArray();
    allowlistedPeers.forEach(s -> allowArray.add(s.toJson()));
    return new JsonObject()
        .put("tickIntervalMs", tickIntervalMs).put("peersToQuery", peersToQuery)
        .put("queryTimeoutMs", queryTimeoutMs).put("maxInfosPerResponse", maxInfosPerResponse)
        .put("maxPeersToSend", maxPeersToSend).put("maxInfoAgeMs", maxInfoAgeMs)
        .put("maxFutureSkewMs", maxFutureSkewMs)
        .put("targetConcurrentConnections", targetConcurrentConnections)
        .put("mailboxCapacity", mailboxCapacity)
        .put("getKnownPeersPerSecond", getKnownPeersPerSecond)
        .put("getKnownPeersBurst", getKnownPeersBurst)
        .put("redialMinMs", redialMinMs).put("redialMaxMs", redialMaxMs)
        .put("maxRangeDials", maxRangeDials)
        .put("freshPeersToSend", freshPeersToSend)
        .put("dropAfterFailedDials", dropAfterFailedDials)
        .put("droppedInfoHoldMs", droppedInfoHoldMs)
        .put("infoRefreshMs", infoRefreshMs)
        .put("shedSeeds", shedSeeds)
        .put("seedsKept", seedsKept)
        .put("livenessIntervalMs", livenessIntervalMs)
        .put("livenessTtlMs", livenessTtlMs)
        .put("livenessMaxEntries", livenessMaxEntries)
        .put("livenessExchangesPerSecond", livenessExchangesPerSecond)
        .put("livenessFreshInfos", livenessFreshInfos)
        .put("access", privateAccess ? "private" : "public")
        .put("seeds", seedArray).put("allowlistedPeers", allowArray);
  }

  public long getTickIntervalMs() { return tickIntervalMs; }
  public DiscoveryOptions setTickIntervalMs(long v) { tickIntervalMs = Json.positive("discovery.tickIntervalMs", v); return this; }
  public int getPeersToQuery() { return peersToQuery; }
  public DiscoveryOptions setPeersToQuery(int v) { peersToQuery = (int) Json.positive("discovery.peersToQuery", v); return this; }
  public long getQueryTimeoutMs() { return queryTimeoutMs; }
  public DiscoveryOptions setQueryTimeoutMs(long v) { queryTimeoutMs = Json.positive("discovery.queryTimeoutMs", v); return this; }
  public int getMaxInfosPerResponse() { return maxInfosPerResponse; }
  public DiscoveryOptions setMaxInfosPerResponse(int v) { maxInfosPerResponse = (int) Json.positive("discovery.maxInfosPerResponse", v); return this; }
  public int getMaxPeersToSend() { return maxPeersToSend; }
  public DiscoveryOptions setMaxPeersToSend(int v) { maxPeersToSend = (int) Json.positive("discovery.maxPeersToSend", v); return this; }
  public long getMaxInfoAgeMs() { return maxInfoAgeMs; }
  public DiscoveryOptions setMaxInfoAgeMs(long v) { maxInfoAgeMs = Json.positive("discovery.maxInfoAgeMs", v); return this; }
  public long getMaxFutureSkewMs() { return maxFutureSkewMs; }
  public DiscoveryOptions setMaxFutureSkewMs(long v) { maxFutureSkewMs = Json.positive("discovery.maxFutureSkewMs", v); return this; }
  public int getTargetConcurrentConnections() { return targetConcurrentConnections; }
  public DiscoveryOptions setTargetConcurrentConnections(int v) { targetConcurrentConnections = (int) Json.positive("discovery.targetConcurrentConnections", v); return this; }
  public int getMailboxCapacity() { return mailboxCapacity; }
  public DiscoveryOptions setMailboxCapacity(int v) { mailboxCapacity = (int) Json.positive("discovery.mailboxCapacity", v); return this; }
  public double getGetKnownPeersPerSecond() { return getKnownPeersPerSecond; }
  public DiscoveryOptions setGetKnownPeersPerSecond(double v) {
    getKnownPeersPerSecond = Json.positive("discovery.getKnownPeersPerSecond", v);
    return this;
  }
  public int getGetKnownPeersBurst() { return getKnownPeersBurst; }
  public DiscoveryOptions setGetKnownPeersBurst(int v) { getKnownPeersBurst = (int) Json.positive("discovery.getKnownPeersBurst", v); return this; }
  public long getRedialMinMs() { return redialMinMs; }
  public DiscoveryOptions setRedialMinMs(long v) { redialMinMs = Json.positive("discovery.redialMinMs", v); return this; }
  public long getRedialMaxMs() { return redialMaxMs; }
  public DiscoveryOptions setRedialMaxMs(long v) { redialMaxMs = Json.positive("discovery.redialMaxMs", v); return this; }
  public int getMaxRangeDials() { return maxRangeDials; }
  /** 0 turns range-driven dials off. */
  public DiscoveryOptions setMaxRangeDials(int v) { maxRangeDials = (int) Json.nonNegative("discovery.maxRangeDials", v); return this; }
  public int getFreshPeersToSend() { return freshPeersToSend; }
  /** 0 turns fresh-first answers off; at most 256 (the recency list kept per table). */
  public DiscoveryOptions setFreshPeersToSend(int v) {
    freshPeersToSend = Json.between("discovery.freshPeersToSend", v, 0, 256);
    return this;
  }
  public int getDropAfterFailedDials() { return dropAfterFailedDials; }
  /** 0 never forgets a peer for failed dials. */
  public DiscoveryOptions setDropAfterFailedDials(int v) { dropAfterFailedDials = (int) Json.nonNegative("discovery.dropAfterFailedDials", v); return this; }
  public long getDroppedInfoHoldMs() { return droppedInfoHoldMs; }
  public DiscoveryOptions setDroppedInfoHoldMs(long v) { droppedInfoHoldMs = Json.positive("discovery.droppedInfoHoldMs", v); return this; }
  public long getInfoRefreshMs() { return infoRefreshMs; }
  /** 0 = half {@code maxInfoAgeMs}. */
  public DiscoveryOptions setInfoRefreshMs(long v) { infoRefreshMs = Json.nonNegative("discovery.infoRefreshMs", v); return this; }
  /** How old our unchanged info may get before it is re-signed: {@code infoRefreshMs}, at most half the max age. */
  public long effectiveInfoRefreshMs() {
    long half = maxInfoAgeMs / 2;
    return infoRefreshMs == 0 ? half : Math.min(infoRefreshMs, half);
  }
  public boolean isShedSeeds() { return shedSeeds; }
  public DiscoveryOptions setShedSeeds(boolean v) { shedSeeds = v; return this; }
  public int getSeedsKept() { return seedsKept; }
  /** 0 leaves every seed once shedding. */
  public DiscoveryOptions setSeedsKept(int v) { seedsKept = (int) Json.nonNegative("discovery.seedsKept", v); return this; }
  public long getLivenessIntervalMs() { return livenessIntervalMs; }
  public DiscoveryOptions setLivenessIntervalMs(long v) { livenessIntervalMs = Json.positive("discovery.livenessIntervalMs", v); return this; }
  public long getLivenessTtlMs() { return livenessTtlMs; }
  /** 0 turns liveness gossip off. */
  public DiscoveryOptions setLivenessTtlMs(long v) { livenessTtlMs = Json.nonNegative("discovery.livenessTtlMs", v); return this; }
  public int getLivenessMaxEntries() { return livenessMaxEntries; }
  /** At most 16,384 (the wire limit). */
  public DiscoveryOptions setLivenessMaxEntries(int v) {
    livenessMaxEntries = Json.between("discovery.livenessMaxEntries", v, 1, MAX_LIVENESS_ENTRIES);
    return this;
  }
  public double getLivenessExchangesPerSecond() { return livenessExchangesPerSecond; }
  public DiscoveryOptions setLivenessExchangesPerSecond(double v) {
    livenessExchangesPerSecond = Json.positive("discovery.livenessExchangesPerSecond", v);
    return this;
  }
  public int getLivenessFreshInfos() { return livenessFreshInfos; }
  /** 0 sends none; at most {@value #MAX_LIVENESS_FRESH_INFOS}. */
  public DiscoveryOptions setLivenessFreshInfos(int v) {
    livenessFreshInfos = Json.between("discovery.livenessFreshInfos", v, 0, MAX_LIVENESS_FRESH_INFOS);
    return this;
  }
  /**
   * How much slower liveness gossip runs with {@code known} peers: 1 while a digest can carry them
   * all, else known / {@code livenessMaxEntries}. The round interval grows by it, so a node's
   * liveness traffic stays under about {@code livenessMaxEntries} entries per interval at any
   * network size; each peer is then in a digest that much less often, and rounds are that much
   * further apart, so news of it travels about scale² slower and the TTL grows by scale².
   */
  public double livenessScale(int known) {
    return Math.max(1.0, known / (double) livenessMaxEntries);
  }
  /** The TTL in force with {@code known} peers: {@code livenessTtlMs} × scale² ({@link #livenessScale}); 0 when off. */
  public long effectiveLivenessTtlMs(int known) {
    double scale = livenessScale(known);
    return (long) (livenessTtlMs * scale * scale);
  }
  /** The time between liveness rounds with {@code known} peers: {@code livenessIntervalMs} × {@link #livenessScale}. */
  public long effectiveLivenessIntervalMs(int known) {
    return (long) (livenessIntervalMs * livenessScale(known));
  }
  /** A private node is neither dialled nor advertised by peers that do not allow-list it. */
  public boolean isPrivateAccess() { return privateAccess; }
  public DiscoveryOptions setPrivateAccess(boolean v) { privateAccess = v; return this; }
  public List<Seed> getSeeds() { return List.copyOf(seeds); }
  public DiscoveryOptions setSeeds(List<Seed> v) { seeds = new ArrayList<>(v); return this; }
  public List<Seed> getAllowlistedPeers() { return List.copyOf(allowlistedPeers); }
  public DiscoveryOptions setAllowlistedPeers(List<Seed> v) {
    for (Seed peer : v) {
      if (peer.peerId() == null) {
        throw new IllegalArgumentException("an allow-listed peer needs a peerId: " + peer.address());
      }
    }
    allowlistedPeers = new ArrayList<>(v);
    return this;
  }
}
