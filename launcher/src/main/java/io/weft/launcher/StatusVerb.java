package io.weft.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.status.StatusVerticle;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code weft status [--url URL | --data DIR --node N]}: asks a running node for
 * {@code GET /api/status} and prints its id, address, chain position and peers.
 */
final class StatusVerb implements Verb {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String usage() {
    return "  status [--url URL | --data DIR [--node N]]\n"
        + "                         ask a running node (its status endpoint URL, e.g. http://127.0.0.1:8090,\n"
        + "                         or node N, default 0, of the devnet in DIR) for its id, peers and heights";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args parsed = Args.parse(name(), args, Set.of("url", "data", "node"));
    String url = parsed.get("url", null);
    String data = parsed.get("data", null);
    if (url != null && data != null) {
      throw new UserError("status takes --url or --data, not both");
    }
    if (url == null && data == null) {
      throw new UserError("status needs --url URL (the node's status endpoint) or --data DIR [--node N] (a devnet)");
    }
    if (url == null) {
      if (parsed.get("node", null) != null && data == null) {
        throw new UserError("--node needs --data");
      }
      url = NodesFile.httpUrl(Path.of(data), parsed.get("node", "0"));
    }
    JsonObject status = fetch(endpoint(url));
    print(status, console);
    return 0;
  }

  /** {@code url} with the status path appended unless it names it already. */
  static URI endpoint(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new UserError("bad URL '" + url + "': " + e.getReason());
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new UserError("bad URL '" + url + "': expected http://host:port (the node's status endpoint)");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.endsWith(StatusVerticle.PATH)) {
      path = path.replaceAll("/+$", "") + StatusVerticle.PATH;
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new UserError("bad URL '" + url + "': " + e.getReason());
    }
  }

  static JsonObject fetch(URI uri) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw new UserError("cannot reach " + uri + ": no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      throw new UserError("cannot reach " + uri + ": connection refused (is the node running?)");
    } catch (HttpTimeoutException e) {
      throw new UserError(uri + " did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot reach " + uri + ": " + Failures.oneLine(String.valueOf(e.getMessage())));
    }
    if (response.statusCode() != 200) {
      throw new UserError(uri + " answered HTTP " + response.statusCode() + " (is it a Weft node's status endpoint?)");
    }
    try {
      JsonObject status = new JsonObject(response.body());
      if (status.getString("peerId") == null) {
        throw new UserError(uri + " answered JSON without a peerId (is it a Weft node's status endpoint?)");
      }
      return status;
    } catch (DecodeException | ClassCastException e) {
      throw new UserError(uri + " did not answer a status document: " + Failures.oneLine(e.getMessage()));
    }
  }

  static void print(JsonObject status, Console console) {
    String id = status.getString("peerId");
    String genesis = status.getString("genesis");
    long highest = status.getLong("highestSynced", -1L);
    JsonArray peers = status.getJsonArray("peers", new JsonArray());
    StringBuilder text = new StringBuilder();
    text.append("node     ").append(id).append('\n');
    text.append("address  ").append(status.getString("address")).append('\n');
    text.append("chain    ").append(genesis == null ? "none (no genesis, not syncing)"
        : "genesis " + genesis.substring(0, Math.min(8, genesis.length())) + ", highest synced commit " + highest)
        .append('\n');
    text.append("uptime   ").append(status.getLong("uptimeMs", 0L) / 1000).append(" s\n");
    text.append("peers    ").append(peers.size()).append('\n');
    for (int i = 0; i < peers.size(); i++) {
      JsonObject peer = peers.getJsonObject(i);
      String peerId = peer.getString("peerId", "");
      Long height = peer.getLong("height");
      text.append("  ").append(peerId, 0, Math.min(8, peerId.length())).append("  ")
          .append(peer.getString("address")).append("  h=").append(height == null ? "?" : height).append('\n');
    }
    console.out().print(text);
    console.out().flush();
  }
}
