package io.weft.node;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkOptions;
import io.weft.reputation.ReputationOptions;
import io.weft.sync.SyncOptions;

/**
 * A node's whole configuration, as in {@code conf/node.json}: where its key and data live, and
 * the options of each feature. Every field is optional.
 */
public class NodeOptions {

  /** Key file used when none is configured (created on first start). */
  public static final String DEFAULT_KEY_FILE = "data/network.key";

  private String keyFile = DEFAULT_KEY_FILE;
  private String dataDir;
  private String genesisFile;
  private NetworkOptions network = new NetworkOptions();
  private DiscoveryOptions discovery = new DiscoveryOptions();
  private SyncOptions sync = new SyncOptions();
  private ReputationOptions reputation = new ReputationOptions();

  public NodeOptions() {
  }

  /** @throws IllegalArgumentException with a one-line reason on a bad config */
  public NodeOptions(JsonObject json) {
    try {
      Json.check(json, "node", "keyFile", "dataDir", "genesisFile", "network", "discovery", "sync",
          "reputation");
      keyFile = Json.stringValue(json, "node", "keyFile", DEFAULT_KEY_FILE);
      dataDir = Json.stringValue(json, "node", "dataDir", null);
      genesisFile = Json.stringValue(json, "node", "genesisFile", null);
      network = new NetworkOptions(Json.object(json, "network"));
      discovery = new DiscoveryOptions(Json.object(json, "discovery"));
      sync = new SyncOptions(Json.object(json, "sync"));
      reputation = new ReputationOptions(Json.object(json, "reputation"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("config has a field of the wrong type: " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("keyFile", keyFile)
        .put("network", network.toJson()).put("discovery", discovery.toJson()).put("sync", sync.toJson())
        .put("reputation", reputation.toJson());
    if (genesisFile != null) {
      json.put("genesisFile", genesisFile);
    }
    return dataDir == null ? json : json.put("dataDir", dataDir);
  }

  public String getKeyFile() {
    return keyFile;
  }

  public NodeOptions setKeyFile(String keyFile) {
    this.keyFile = keyFile;
    return this;
  }

  /** Where the node keeps its files (known peers, later the store); null = nothing persisted. */
  public String getDataDir() {
    return dataDir;
  }

  public NodeOptions setDataDir(String dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The chain to sync (written by {@code weft genesis}); null = no state sync unless the store holds a chain. */
  public String getGenesisFile() {
    return genesisFile;
  }

  public NodeOptions setGenesisFile(String genesisFile) {
    this.genesisFile = genesisFile;
    return this;
  }

  public SyncOptions getSync() {
    return sync;
  }

  public NodeOptions setSync(SyncOptions sync) {
    this.sync = sync;
    return this;
  }

  public ReputationOptions getReputation() {
    return reputation;
  }

  public NodeOptions setReputation(ReputationOptions reputation) {
    this.reputation = reputation;
    return this;
  }

  public NetworkOptions getNetwork() {
    return network;
  }

  public NodeOptions setNetwork(NetworkOptions network) {
    this.network = network;
    return this;
  }

  public DiscoveryOptions getDiscovery() {
    return discovery;
  }

  public NodeOptions setDiscovery(DiscoveryOptions discovery) {
    this.discovery = discovery;
    return this;
  }
}
