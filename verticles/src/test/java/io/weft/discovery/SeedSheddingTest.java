package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions.Seed;
import io.weft.network.LostReason;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code discovery.shedSeeds}: a node leaves the seeds once it holds the connection target, so the
 * seeds' inbound slots stay free for newcomers and the seeds do not end as everyone's sync server.
 */
class SeedSheddingTest {

  private final NetworkKey key = NetworkKey.generate();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final PeerId seed = NetworkKey.generate().peerId();

  /** Shedding every seed ({@code seedsKept} 0, the default, set here explicitly). */
  private static DiscoveryOptions shedAll() {
    return new DiscoveryOptions().setSeedsKept(0);
  }

  private DiscoveryLoop started(DiscoveryOptions options) {
    DiscoveryLoop loop = new DiscoveryLoop(options.setTargetConcurrentConnections(3)
        .setSeeds(List.of(new Seed("seed:7000", seed))), key, List.of("10.0.0.1:7000"), state, transport, clock,
        new Random(7), stats);
    loop.start();
    transport.lastDial().succeed();
    transport.connected.add(seed);
    return loop;
  }

  private void connectOthers(int n) {
    for (int i = 0; i < n; i++) {
      transport.connected.add(Infos.randomPeerId());
    }
  }

  /** Verifies that below the connection target the seed is kept, and at the target it is left. */
  @Test
  void theSeedIsLeftOnceTheTargetIsMet() {
    DiscoveryLoop loop = started(shedAll());
    connectOthers(1);
    loop.tick();
    assertThat(transport.disconnected).as("2 of 3 connections: keep the seed").isEmpty();

    connectOthers(1);
    loop.tick();
    assertThat(transport.disconnected).containsExactly(seed);
    assertThat(stats.seedsShed.get()).isEqualTo(1);
  }

  /**
   * Verifies that a shed seed is held off: the freed room goes to another known peer, and with
   * nobody else to dial the seed is not dialled again either (it would be shed again at once).
   */
  @Test
  void aShedSeedIsNotRedialledAtOnce() {
    DiscoveryLoop loop = started(shedAll());
    connectOthers(2);
    loop.tick();
    transport.connected.remove(seed);
    loop.onLostPeer(seed, LostReason.REQUESTED_DISCONNECT);
    NetworkKey other = NetworkKey.generate();
    state.upsert(Infos.known(other, clock.nowMillis(), false, Infos.addressOf(other)));
    int before = transport.dials.size();
    clock.advance(5_000);
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).containsExactly(other.peerId());

    transport.lastDial().fail();
    before = transport.dials.size();
    clock.advance(5_000);
    loop.tick();
    assertThat(transport.dialsSince(before)).as("nothing pending, room left: the seed is still held off")
        .extracting(FakeDiscoveryTransport.Dial::address).doesNotContain("seed:7000");
  }

  /**
   * Verifies that a node whose connections are (mostly) seeds keeps them: with a target of 1
   * met by the seed alone, leaving it would leave the node alone.
   */
  @Test
  void aNodeConnectedOnlyToTheSeedKeepsIt() {
    DiscoveryLoop loop = new DiscoveryLoop(shedAll().setTargetConcurrentConnections(1)
        .setSeeds(List.of(new Seed("seed:7000", seed))), key, List.of("10.0.0.1:7000"), state, transport, clock,
        new Random(7), stats);
    loop.start();
    transport.connected.add(seed);
    loop.tick();
    assertThat(transport.disconnected).isEmpty();
  }

  /** Verifies that with shedSeeds false the seed is kept at the target. */
  @Test
  void withShedSeedsOffTheSeedIsKept() {
    DiscoveryLoop loop = started(shedAll().setShedSeeds(false));
    connectOthers(2);
    loop.tick();
    assertThat(transport.disconnected).isEmpty();
  }

  /** Verifies that an allow-listed seed is kept at the target. */
  @Test
  void anAllowlistedSeedIsKept() {
    DiscoveryLoop loop = new DiscoveryLoop(shedAll().setTargetConcurrentConnections(3)
        .setSeeds(List.of(new Seed("seed:7000", seed)))
        .setAllowlistedPeers(List.of(new Seed("seed:7000", seed))), key, List.of("10.0.0.1:7000"), state,
        transport, clock, new Random(7), stats);
    loop.start();
    transport.connected.add(seed);
    connectOthers(2);
    loop.tick();
    assertThat(transport.disconnected).isEmpty();
  }

  /**
   * Verifies {@code seedsKept}: with three seeds connected and the target met, a node with
   * {@code seedsKept} 1 keeps one seed and leaves the other two; with {@code seedsKept} 2 it leaves one; which seeds
   * are kept is the same on every tick (no flapping).
   */
  @Test
  void aNodeKeepsSeedsKeptOfItsSeeds() {
    for (int keep : new int[] {1, 2}) {
      FakeDiscoveryTransport t = new FakeDiscoveryTransport();
      List<PeerId> seeds = List.of(Infos.randomPeerId(), Infos.randomPeerId(), Infos.randomPeerId());
      DiscoveryLoop loop = new DiscoveryLoop(new DiscoveryOptions().setSeedsKept(keep).setTargetConcurrentConnections(6)
          .setSeeds(seeds.stream().map(id -> new Seed("seed-" + id.shortId() + ":7000", id)).toList()),
          key, List.of("10.0.0.1:7000"), new DiscoveryState(), t, clock, new Random(7), new DiscoveryStats());
      loop.start();
      t.connected.addAll(seeds);
      for (int i = 0; i < 3; i++) {
        t.connected.add(Infos.randomPeerId());
      }
      loop.tick();
      assertThat(t.disconnected).as("kept %d of 3", keep).hasSize(3 - keep).isSubsetOf(seeds);
      List<PeerId> shed = List.copyOf(t.disconnected);
      t.connected.removeAll(shed);
      for (int i = 0; i < shed.size(); i++) {
        t.connected.add(Infos.randomPeerId()); // back at the target: shedding is considered again
      }
      loop.tick();
      assertThat(t.disconnected).as("the kept seeds stay").containsExactlyElementsOf(shed);
    }
  }
}
