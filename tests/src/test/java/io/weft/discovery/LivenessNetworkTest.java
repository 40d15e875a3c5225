package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.PeerId;
import io.weft.node.NodeOptions;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verifies liveness gossip on real nodes (each in its own Vert.x, on 127.0.0.1): a crashed peer
 * leaves every table within a few TTLs while the live ones stay, it comes back when it restarts
 * with the same key, and with liveness gossip off a departed peer stays listed.
 *
 * <p>Every node runs with {@code dropAfterFailedDials} 0, so our own failed dials never forget the
 * crashed peer: liveness gossip is the only way out of a table, and the tests with it on and off
 * differ in {@code livenessTtlMs} alone.
 */
@ExtendWith(VertxExtension.class)
class LivenessNetworkTest {

  private static final long INTERVAL_MS = 200;
  private static final long TTL_MS = 2_000;
  /** Joiners started from the seed (4 nodes in all). */
  private static final int JOINERS = 3;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static NodeOptions options(long ttlMs) {
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setLivenessIntervalMs(INTERVAL_MS).setLivenessTtlMs(ttlMs).setDropAfterFailedDials(0);
    return options;
  }

  private static NodeOptions seededBy(Node seed, long ttlMs) {
    NodeOptions options = options(ttlMs);
    options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId())));
    return options;
  }

  /** Starts a seed and {@value #JOINERS} nodes seeded by it; the seed comes first. */
  private Future<List<Node>> startNetwork(long ttlMs) {
    return nodes.start(options(ttlMs)).compose(seed -> {
      List<Future<Node>> started = new ArrayList<>();
      for (int i = 0; i < JOINERS; i++) {
        started.add(nodes.start(seededBy(seed, ttlMs)));
      }
      return Future.all(started).map(all -> {
        List<Node> list = new ArrayList<>(List.of(seed));
        for (int i = 0; i < JOINERS; i++) {
          list.add(all.resultAt(i));
        }
        return list;
      });
    });
  }

  private static PeerId id(Node node) {
    return node.node().peerId();
  }

  private static Set<PeerId> othersOf(Node node, List<Node> group) {
    return group.stream().map(LivenessNetworkTest::id).filter(i -> !i.equals(id(node))).collect(Collectors.toSet());
  }

  private static boolean allKnowEachOther(List<Node> group) {
    return group.stream().allMatch(n -> n.node().discoveryState().ids().containsAll(othersOf(n, group)));
  }

  /** Throws when a node of {@code group} does not know every other one. */
  private static void assertAllKnowEachOther(List<Node> group, String when) {
    if (!allKnowEachOther(group)) {
      throw new AssertionError("a live node lost a live peer " + when + ": " + view(group));
    }
  }

  private static String view(List<Node> group) {
    return group.stream().map(n -> {
      DiscoveryStats s = n.node().discoveryStats();
      return id(n).shortId() + " knows " + n.node().discoveryState().ids().stream().map(PeerId::shortId).sorted().toList()
          + " reaches " + n.node().activePeers().size()
          + " silenced " + s.peersSilenced.get() + " (held " + n.node().discoveryState().silencedCount() + ")"
          + " revived " + s.peersRevived.get() + " exchanges " + s.livenessExchanges.get()
          + " failures " + s.livenessFailures.get() + " digests " + s.livenessDigestsTaken.get();
    }).collect(Collectors.joining("; "));
  }

  /** Completes after {@code ms}, failing as soon as {@code invariant} throws (checked every 50 ms). */
  private static Future<Void> holdFor(Vertx vertx, long ms, String what, Runnable invariant) {
    long end = System.currentTimeMillis() + ms;
    return TestNodes.eventually(vertx, ms + 10_000, what, () -> {
      invariant.run();
      return System.currentTimeMillis() >= end;
    });
  }

  private static Future<Void> sleep(Vertx vertx, long ms) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(ms, t -> promise.complete());
    return promise.future();
  }

  /** Waits until every node of {@code all} knows every other one; no node has silenced anyone yet. */
  private static Future<Void> converge(Vertx vertx, List<Node> all) {
    return TestNodes.eventually(vertx, 30_000, "all " + all.size() + " nodes know each other", () -> allKnowEachOther(all))
        .map(v -> {
          for (Node n : all) {
            assertThat(n.node().discoveryStats().peersSilenced.get())
                .as("peers silenced by %s while everyone is alive: %s", id(n).shortId(), view(all))
                .isZero();
          }
          return null;
        });
  }

  /**
   * Kills {@code victim} and waits (at most 5 TTLs) until every node of {@code live} has silenced
   * it, checking all along that the live nodes still know each other.
   */
  private Future<Void> crashAndAwaitSilenced(Vertx vertx, Node victim, List<Node> live) {
    PeerId victimId = id(victim);
    long[] crashedAt = new long[1];
    return nodes.kill(victim)
        .compose(v -> {
          crashedAt[0] = System.currentTimeMillis();
          return TestNodes.eventually(vertx, 5 * TTL_MS, "every live node silences " + victimId.shortId(), () -> {
            assertAllKnowEachOther(live, "while the crashed one is being silenced");
            return live.stream().allMatch(n -> n.node().discoveryState().get(victimId).isEmpty());
          });
        })
        .map(v -> {
          System.out.printf("LivenessNetworkTest: %s silenced everywhere %d ms after the crash (TTL %d ms): %s%n",
              victimId.shortId(), System.currentTimeMillis() - crashedAt[0], TTL_MS, view(live));
          for (Node n : live) {
            DiscoveryStats stats = n.node().discoveryStats();
            assertThat(stats.peersSilenced.get()).as("peers silenced by %s", id(n).shortId()).isPositive();
            assertThat(n.node().discoveryState().silencedCount()).as("silenced held by %s", id(n).shortId()).isPositive();
            assertThat(stats.livenessExchanges.get()).as("exchanges of %s", id(n).shortId()).isPositive();
            assertThat(stats.livenessDigestsTaken.get()).as("digests taken by %s", id(n).shortId()).isPositive();
          }
          return null;
        });
  }

  /**
   * Verifies that a crashed peer leaves every remaining table (silenced) within 5 TTLs, while the
   * live nodes know each other throughout and for 2 TTLs more, and the crashed one stays out.
   */
  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void aCrashedPeerIsSilencedEverywhereAndTheLiveOnesStay(Vertx vertx, VertxTestContext test) {
    startNetwork(TTL_MS).compose(all -> {
      // GIVEN a seed and 3 nodes that all know each other
      Node victim = all.get(all.size() - 1);
      PeerId victimId = id(victim);
      List<Node> live = all.subList(0, all.size() - 1);
      return converge(vertx, all)
          // WHEN a non-seed node crashes
          // THEN every remaining node silences it within a few TTLs, the live ones staying known
          .compose(v -> crashAndAwaitSilenced(vertx, victim, live))
          // AND for 2 TTLs more the live ones stay known, the crashed one out
          .compose(v -> holdFor(vertx, 2 * TTL_MS, "the live nodes stay known, the crashed one out", () -> {
            assertAllKnowEachOther(live, "after the crashed one was silenced");
            for (Node n : live) {
              if (n.node().discoveryState().get(victimId).isPresent()) {
                throw new AssertionError(id(n).shortId() + " lists the crashed " + victimId.shortId()
                    + " again: " + view(live));
              }
            }
          }))
          .map(v -> {
            assertAllKnowEachOther(live, "at the end");
            System.out.printf("LivenessNetworkTest: after 2 more TTLs: %s%n", view(live));
            return null;
          });
    }).onComplete(test.succeedingThenComplete());
  }

  /**
   * Verifies that a silenced peer restarted with the same key (a newer signed info, a new port,
   * a connection to the seed) is known again by every node, at its new address, within 5 TTLs, and
   * stays known for 2 TTLs more.
   */
  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void aSilencedPeerComesBackWhenItRestarts(Vertx vertx, VertxTestContext test) {
    startNetwork(TTL_MS).compose(all -> {
      Node seed = all.get(0);
      Node victim = all.get(all.size() - 1);
      PeerId victimId = id(victim);
      List<Node> live = all.subList(0, all.size() - 1);
      // GIVEN a crashed node silenced by every other node
      return converge(vertx, all)
          .compose(v -> crashAndAwaitSilenced(vertx, victim, live))
          // WHEN it restarts with the same key, seeded by the seed
          .compose(v -> nodes.start(seededBy(seed, TTL_MS), victim.key()))
          .compose(back -> {
            assertThat(id(back)).isEqualTo(victimId);
            String address = back.node().address();
            assertThat(address).isNotEqualTo(victim.node().address());
            List<Node> everyone = new ArrayList<>(live);
            everyone.add(back);
            long restartedAt = System.currentTimeMillis();
            // THEN every node knows it again, at its new address, and it knows them
            return TestNodes.eventually(vertx, 5 * TTL_MS, "every node knows the restarted " + victimId.shortId()
                    + " at " + address, () -> {
                  assertAllKnowEachOther(live, "while the restarted one comes back");
                  return allKnowEachOther(everyone) && live.stream().allMatch(n -> n.node().discoveryState()
                      .get(victimId).map(p -> p.addresses().contains(address)).orElse(false));
                })
                .compose(v -> {
                  System.out.printf("LivenessNetworkTest: %s known again everywhere %d ms after its restart: %s%n",
                      victimId.shortId(), System.currentTimeMillis() - restartedAt, view(everyone));
                  // AND all 4 stay known to each other for 2 TTLs more
                  return holdFor(vertx, 2 * TTL_MS, "all nodes stay known, the restarted one too",
                      () -> assertAllKnowEachOther(everyone, "after the restarted one came back"));
                })
                .map(v -> {
                  for (Node n : live) {
                    assertThat(n.node().discoveryState().silencedCount())
                        .as("silenced held by %s once the restarted one is back: %s", id(n).shortId(), view(everyone))
                        .isZero();
                  }
                  return null;
                });
          });
    }).onComplete(test.succeedingThenComplete());
  }

  /**
   * Verifies the reference behaviour with liveness gossip off ({@code livenessTtlMs} 0): a crashed
   * peer is still listed everywhere 3 x 2000 ms later, and no liveness round ran.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void withLivenessOffADepartedPeerStaysListed(Vertx vertx, VertxTestContext test) {
    startNetwork(0).compose(all -> {
      Node victim = all.get(all.size() - 1);
      PeerId victimId = id(victim);
      List<Node> live = all.subList(0, all.size() - 1);
      // GIVEN a seed and 3 nodes that all know each other, liveness gossip off
      return converge(vertx, all)
          // WHEN a non-seed node crashes, and the others notice
          .compose(v -> nodes.kill(victim))
          .compose(v -> TestNodes.eventually(vertx, 15_000, "the live nodes lose their connections to "
              + victimId.shortId(), () -> live.stream().noneMatch(n -> n.node().activePeers().contains(victimId))))
          .compose(v -> sleep(vertx, 3 * 2_000))
          // THEN 3 x 2000 ms later they all still list it
          .map(v -> {
            System.out.printf("LivenessNetworkTest: liveness off, 6 s after the crash: %s%n", view(live));
            assertAllKnowEachOther(live, "with liveness off");
            for (Node n : live) {
              DiscoveryStats stats = n.node().discoveryStats();
              assertThat(n.node().discoveryState().get(victimId)).as("%s lists the crashed one", id(n).shortId()).isPresent();
              assertThat(stats.peersSilenced.get()).as("peers silenced by %s", id(n).shortId()).isZero();
              assertThat(n.node().discoveryState().silencedCount()).as("silenced held by %s", id(n).shortId()).isZero();
              assertThat(stats.livenessExchanges.get()).as("exchanges of %s", id(n).shortId()).isZero();
              assertThat(stats.livenessDigestsTaken.get()).as("digests taken by %s", id(n).shortId()).isZero();
            }
            return null;
          });
    }).onComplete(test.succeedingThenComplete());
  }
}
