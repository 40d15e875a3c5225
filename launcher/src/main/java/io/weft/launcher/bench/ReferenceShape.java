package io.weft.launcher.bench;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.weft.chain.Blocks;
import io.weft.chain.Chain;
import io.weft.chain.CommitteeView;
import io.weft.chain.Commits;
import io.weft.chain.Digest;
import io.weft.chain.Digests;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.NetworkKey;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.node.WeftNode;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Committee;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** The reference's sync pipeline shape, measured on the same harness as Weft's (see {@link #run}). */
final class ReferenceShape {

  static final int REF_CHUNK = 1000;
  static final long REF_STAGGER_MS = 200;

  private ReferenceShape() {
  }

  /**
   * The reference's pipeline shape on the same harness: one FetchCommits of at most 100 per
   * task, tasks back to back, the commits' blocks fetched in chunks of 1000 refs sent 200 ms
   * apart, verification on one thread. The committee of the next epoch is taken from the
   * verified leader block that announces it, as sync does. It does not write a store (which
   * favours the reference).
   */
  static double run(WeftNode a, Chain chain, int n, Progress progress) throws Exception {
    Vertx vertx = Vertx.vertx();
    ExecutorService verifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "reference-verifier");
      t.setDaemon(true);
      return t;
    });
    try {
      NodeIdentity identity = NodeIdentity.of(NetworkKey.generate());
      NetworkVerticle network = new NetworkVerticle(identity, SyncBench.networkOptions(), Set.of(), List.of());
      SyncBench.await(vertx.deployVerticle(network));
      var peer = SyncBench.await(new ConnectionManagerClient(vertx, identity.namespace(), SyncBench.networkOptions())
          .connect(a.address(), a.peerId()));
      PeerChannel channel = (PeerChannel) ActivePeers.in(vertx, identity.namespace()).get(peer).orElseThrow().channel();
      CommitteeView committee = CommitteeView.of(chain.genesis().getCommittee());
      Digest previous = chain.genesisDigest();
      long start = 1;
      long t0 = System.nanoTime();
      while (start <= n) {
        long s = start;
        FetchCommitsResponse response = await(vertx.getOrCreateContext(), () -> channel.unary(P2pGrpcClient.FetchCommits,
            FetchCommitsRequest.newBuilder().setStart(s).setEnd(Math.min(n, s + SyncBench.REF_BATCH - 1)).build(), 10_000));
        if (response.getCommitsCount() == 0) {
          throw new IllegalStateException("node A served no commits from " + s);
        }
        List<byte[]> commits = response.getCommitsList().stream().map(ByteString::toByteArray).toList();
        List<byte[]> certifiers = response.getCertifierBlocksList().stream().map(ByteString::toByteArray).toList();
        List<BlockRef> refs = new ArrayList<>();
        for (byte[] c : commits) {
          refs.addAll(Commits.parse(c).commit().getBlocksList());
        }
        List<byte[]> blocks = fetchChunked(vertx, channel, refs);
        CommitteeView current = committee;
        Digest prev = previous;
        java.util.concurrent.Future<CommitteeView> verified = verifier.submit(() -> {
          SyncBench.verify(s, prev, commits, certifiers, refs, blocks, current);
          return nextCommittee(blocks, current);
        });
        CommitteeView next = verified.get();
        if (next != null) {
          committee = next;
        }
        previous = Digests.blake2b256(commits.get(commits.size() - 1));
        start += commits.size();
        progress.update("reference pipeline shape", start - 1, n);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return n / seconds;
    } finally {
      verifier.shutdownNow();
      SyncBench.await(vertx.close());
    }
  }

  private static CommitteeView nextCommittee(List<byte[]> blocks, CommitteeView committee) throws Exception {
    for (byte[] b : blocks) {
      VerifiedBlock block = Blocks.verify(b, committee);
      if (block.block().hasNextCommittee()) {
        Committee next = block.block().getNextCommittee();
        return CommitteeView.of(next);
      }
    }
    return null;
  }

  private static List<byte[]> fetchChunked(Vertx vertx, PeerChannel channel, List<BlockRef> refs) throws Exception {
    List<Future<List<byte[]>>> chunks = new ArrayList<>();
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(v -> {
      for (int i = 0; i < refs.size(); i += REF_CHUNK) {
        List<BlockRef> chunk = refs.subList(i, Math.min(refs.size(), i + REF_CHUNK));
        long delay = (i / REF_CHUNK) * REF_STAGGER_MS;
        Promise<List<byte[]>> p = Promise.promise();
        chunks.add(p.future());
        if (delay == 0) {
          fetchBlocks(vertx, channel, chunk).onComplete(p);
        } else {
          vertx.setTimer(delay, id -> fetchBlocks(vertx, channel, chunk).onComplete(p));
        }
      }
      Future.all(chunks).<Void>mapEmpty().onComplete(all);
    });
    SyncBench.await(all.future());
    List<byte[]> blocks = new ArrayList<>(refs.size());
    for (Future<List<byte[]>> f : chunks) {
      blocks.addAll(f.result());
    }
    return blocks;
  }

  private static Future<List<byte[]>> fetchBlocks(Vertx vertx, PeerChannel channel, List<BlockRef> refs) {
    FetchBlocksRequest.Builder request = FetchBlocksRequest.newBuilder();
    refs.forEach(ref -> request.addBlockRefs(ref.toByteString()));
    Context caller = vertx.getOrCreateContext();
    return channel.serverStream(P2pGrpcClient.FetchBlocks, request.build(), 10_000).compose(stream -> {
      Promise<List<byte[]>> collected = Promise.promise();
      List<byte[]> blocks = new ArrayList<>(refs.size());
      stream.exceptionHandler(e -> caller.runOnContext(v -> collected.tryFail(e)));
      stream.handler((FetchBlocksResponse response) -> {
        synchronized (blocks) {
          for (ByteString block : response.getBlocksList()) {
            blocks.add(block.toByteArray());
          }
        }
      });
      stream.endHandler(v -> caller.runOnContext(x -> collected.tryComplete(blocks)));
      stream.resume();
      return collected.future();
    });
  }

  private static <T> T await(Context context, Supplier<Future<T>> call) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(promise));
    return SyncBench.await(promise.future());
  }
}
