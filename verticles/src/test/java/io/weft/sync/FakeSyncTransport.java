package io.weft.sync;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.chain.Chain;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.PeerId;
import io.weft.proto.CommitInfo;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.GetCommitAvailabilityResponse;
import io.weft.proto.GetCommitInfoResponse;
import io.weft.proto.chain.BlockRef;
import io.weft.store.ChainStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A {@link SyncTransport} the test drives. Each peer is a {@link Server} holding a {@link Chain}
 * up to a height: genesis and availability are answered at once; FetchCommits is answered at once
 * by the reference serving rules (cut at the first commit's epoch end, at most 100 and the
 * server's own cap, trailing uncertified commits dropped, certifiers of the last one) unless the
 * server is manual, in which case the call waits for the test; FetchBlocks is answered from the
 * chain's blocks. Verification and store work run at once on the calling thread (the store is a
 * real {@link ChainStore}). Vert.x promises made without a Vertx run their callbacks on the
 * completing thread, so everything happens synchronously on the test thread.
 */
final class FakeSyncTransport implements SyncTransport {

  /** What one peer holds and how it answers. */
  static final class Server {
    final Chain chain;
    long height;
    long lowest;
    /** FetchCommits calls wait for the test ({@link FetchCommits#serve()}). */
    boolean manual;
    /** Commits per FetchCommits answer at most (a truncating peer answers fewer than asked). */
    int maxCommits = CommitServing.MAX_COMMITS_PER_FETCH;
    /** The next this many FetchCommits are answered with no commits. */
    int emptyAnswers;
    /** The next this many FetchCommits are refused as busy (RESOURCE_EXHAUSTED). */
    int busyAnswers;

    Server(Chain chain, long height) {
      this.chain = chain;
      this.height = height;
    }
  }

  /** One FetchCommits call; {@code served} is the range answered, null until then or when empty. */
  final class FetchCommits {
    final PeerId peer;
    final long start;
    final long end;
    final Promise<FetchCommitsResponse> promise = Promise.promise();
    long[] served;

    FetchCommits(PeerId peer, long start, long end) {
      this.peer = peer;
      this.start = start;
      this.end = end;
    }

    boolean pending() {
      return !promise.future().isComplete();
    }

    /** Answers by the server's rules. */
    void serve() {
      FetchCommitsResponse response = answer(this);
      promise.complete(response);
    }

    void respond(FetchCommitsResponse response) {
      promise.complete(response);
    }

    void fail(String why) {
      promise.fail(why);
    }

    long size() {
      return end - start + 1;
    }

    @Override
    public String toString() {
      return "FetchCommits(" + peer.shortId() + ", " + start + ".." + end + ")";
    }
  }

  record FetchBlocks(PeerId peer, List<BlockRef> refs) {
  }

  record Push(PeerId peer, long index) {
  }

  /** One range-wanted request of the stall watchdog. */
  record RangeWanted(long index, Set<PeerId> failing) {
  }

  /** One deny call and how many FetchCommits had been made before it. */
  record Deny(PeerId peer, long untilMs, String reason, int fetchesBefore) {
  }

  private static final Map<Chain, Map<BlockRef, byte[]>> BLOCKS = Collections.synchronizedMap(new IdentityHashMap<>());

  /** Peers the loop sees as connected, in insertion order; tests add and remove freely. */
  final Set<PeerId> connected = new LinkedHashSet<>();
  final Map<PeerId, Server> servers = new HashMap<>();
  final List<FetchCommits> fetches = new ArrayList<>();
  final List<FetchBlocks> blockFetches = new ArrayList<>();
  final List<Push> pushes = new ArrayList<>();
  final List<Deny> denials = new ArrayList<>();
  final List<RangeWanted> rangesWanted = new ArrayList<>();
  final List<SubDagMessage> published = new ArrayList<>();
  int genesisQueries;
  int availabilityQueries;
  ChainStore store;

  FakeSyncTransport(ChainStore store) {
    this.store = store;
  }

  /** Adds a connected peer holding {@code chain} up to {@code height}. */
  Server peer(PeerId peer, Chain chain, long height) {
    Server server = new Server(chain, height);
    servers.put(peer, server);
    connected.add(peer);
    return server;
  }

  List<FetchCommits> pending() {
    return fetches.stream().filter(FetchCommits::pending).toList();
  }

  List<FetchCommits> pendingTo(PeerId peer) {
    return pending().stream().filter(f -> f.peer.equals(peer)).toList();
  }

  List<FetchCommits> fetchesTo(PeerId peer) {
    return fetches.stream().filter(f -> f.peer.equals(peer)).toList();
  }

  /** Serves every pending FetchCommits, oldest first, until none is left. */
  void serveAll() {
    for (List<FetchCommits> pending = pending(); !pending.isEmpty(); pending = pending()) {
      pending.get(0).serve();
    }
  }

  List<Long> publishedIndexes() {
    return published.stream().map(SubDagMessage::index).toList();
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(connected));
  }

  @Override
  public Future<GetCommitInfoResponse> genesisOf(PeerId peer) {
    genesisQueries++;
    Server server = servers.get(peer);
    if (server == null) {
      return Future.failedFuture("no such peer (fake)");
    }
    return Future.succeededFuture(GetCommitInfoResponse.newBuilder().setInfo(CommitInfo.newBuilder()
        .setIndex(0).setDigest(ByteString.copyFrom(server.chain.genesisDigest().toBytes()))).build());
  }

  @Override
  public Future<GetCommitAvailabilityResponse> availability(PeerId peer) {
    availabilityQueries++;
    Server server = servers.get(peer);
    if (server == null) {
      return Future.failedFuture("no such peer (fake)");
    }
    return Future.succeededFuture(GetCommitAvailabilityResponse.newBuilder()
        .setHighestSyncedCommit(server.height).setLowestAvailableCommit(server.lowest).build());
  }

  @Override
  public Future<FetchCommitsResponse> fetchCommits(PeerId peer, long start, long end) {
    FetchCommits call = new FetchCommits(peer, start, end);
    fetches.add(call);
    Server server = servers.get(peer);
    if (server == null) {
      call.fail("no such peer (fake)");
    } else if (server.busyAnswers > 0) {
      server.busyAnswers--;
      call.promise.fail(new io.weft.network.RpcStatusException(peer, "FetchCommits",
          io.vertx.grpc.common.GrpcStatus.RESOURCE_EXHAUSTED, "busy (fake)"));
    } else if (!server.manual) {
      call.serve();
    }
    return call.promise.future();
  }

  /** The reference serving rules over the server's chain. */
  private FetchCommitsResponse answer(FetchCommits call) {
    Server server = servers.get(call.peer);
    if (server.emptyAnswers > 0) {
      server.emptyAnswers--;
      return FetchCommitsResponse.getDefaultInstance();
    }
    Chain chain = server.chain;
    long start = call.start;
    if (start < Math.max(1, server.lowest) || start > Math.min(server.height, chain.tip())) {
      return FetchCommitsResponse.getDefaultInstance();
    }
    long last = Math.min(call.end, start + Math.min(server.maxCommits, CommitServing.MAX_COMMITS_PER_FETCH) - 1);
    last = Math.min(last, Math.min(server.height, chain.tip()));
    last = Math.min(last, chain.lastIndexOfEpoch(chain.epochOf(start)));
    while (last >= start && chain.certifiersOf(last).isEmpty()) {
      last--;
    }
    if (last < start) {
      return FetchCommitsResponse.getDefaultInstance();
    }
    FetchCommitsResponse.Builder response = FetchCommitsResponse.newBuilder();
    for (long i = start; i <= last; i++) {
      response.addCommits(ByteString.copyFrom(chain.commitBytes(i)));
    }
    for (VerifiedBlock block : chain.certifiersOf(last)) {
      response.addCertifierBlocks(ByteString.copyFrom(block.bytes()));
    }
    call.served = new long[] {start, last};
    return response.build();
  }

  @Override
  public Future<List<byte[]>> fetchBlocks(PeerId peer, List<BlockRef> refs) {
    blockFetches.add(new FetchBlocks(peer, List.copyOf(refs)));
    Server server = servers.get(peer);
    if (server == null) {
      return Future.failedFuture("no such peer (fake)");
    }
    Map<BlockRef, byte[]> blocks = blocksOf(server.chain);
    List<byte[]> out = new ArrayList<>(refs.size());
    for (BlockRef ref : refs) {
      byte[] bytes = blocks.get(ref);
      if (bytes != null) {
        out.add(bytes.clone());
      }
    }
    return Future.succeededFuture(out);
  }

  private static Map<BlockRef, byte[]> blocksOf(Chain chain) {
    return BLOCKS.computeIfAbsent(chain, c -> {
      Map<BlockRef, byte[]> map = new HashMap<>();
      for (long i = 1; i <= c.tip(); i++) {
        for (VerifiedBlock block : c.blocksOf(i)) {
          map.put(block.ref(), block.bytes());
        }
      }
      return map;
    });
  }

  @Override
  public Future<Void> pushCommit(PeerId peer, long index) {
    pushes.add(new Push(peer, index));
    return Future.succeededFuture();
  }

  @Override
  public <T> Future<T> verify(Callable<T> work) {
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> apply(java.util.function.Supplier<io.weft.store.ApplyBatch> batch) {
    try {
      store.apply(batch.get());
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void publish(SubDagMessage subDag) {
    published.add(subDag);
  }

  @Override
  public void deny(PeerId peer, long untilMs, String reason) {
    denials.add(new Deny(peer, untilMs, reason, fetches.size()));
  }

  @Override
  public void wantRange(long index, Set<PeerId> failing) {
    rangesWanted.add(new RangeWanted(index, failing));
  }
}
