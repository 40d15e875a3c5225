package io.weft.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.crypto.NetworkKey;
import io.weft.proto.chain.Authority;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.Committee;
import io.weft.proto.chain.SignedBlock;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class BlocksTest {

  private final NetworkKey[] keys = {NetworkKey.fromSeed(new byte[32]), NetworkKey.generate()};
  private final CommitteeView committee = committee(5, keys);

  private static CommitteeView committee(long epoch, NetworkKey... keys) {
    Committee.Builder committee = Committee.newBuilder().setEpoch(epoch);
    for (NetworkKey key : keys) {
      committee.addAuthorities(Authority.newBuilder().setStake(1)
          .setProtocolKey(ByteString.copyFrom(key.publicKey())));
    }
    return CommitteeView.of(committee.build());
  }

  private static Block block(long epoch, int author) {
    return Block.newBuilder().setEpoch(epoch).setRound(7).setAuthor(author)
        .setPayload(ByteString.copyFromUtf8("payload")).setTimestampMs(123).build();
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ChainVerificationException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void signAndVerify() throws Exception {
    Block block = block(5, 1);
    byte[] bytes = Blocks.sign(keys[1], block).toByteArray();
    VerifiedBlock verified = Blocks.verify(bytes, committee);
    assertThat(verified.block()).isEqualTo(block);
    assertThat(verified.bytes()).isSameAs(bytes);
    assertThat(verified.ref()).isEqualTo(BlockRefs.of(7, 1, Digests.blake2b256(bytes)));
    assertThat(verified.digest()).isEqualTo(Digests.blake2b256(bytes));
    assertThat(Blocks.verifyAgainst(bytes, verified.ref(), committee).ref())
        .isEqualTo(verified.ref());
  }

  @Test
  void signatureCoversDomainAndExactBlockBytes() {
    SignedBlock signed = Blocks.sign(keys[0], block(5, 0));
    byte[] block = signed.getBlock().toByteArray();
    byte[] domain = "weft-block-v1".getBytes(StandardCharsets.US_ASCII);
    assertThat(Blocks.DOMAIN).isEqualTo(domain);
    byte[] message = new byte[domain.length + block.length];
    System.arraycopy(domain, 0, message, 0, domain.length);
    System.arraycopy(block, 0, message, domain.length, block.length);
    assertThat(NetworkKey.verify(keys[0].publicKey(), message,
        signed.getSignature().toByteArray())).isTrue();
    assertThat(NetworkKey.verify(keys[0].publicKey(), block,
        signed.getSignature().toByteArray())).isFalse();
  }

  @Test
  void rejections() {
    assertReason(() -> Blocks.verify(new byte[] {(byte) 0xff, (byte) 0xff, 1}, committee),
        Reason.MALFORMED);
    assertReason(() -> Blocks.verify(new byte[0], committee), Reason.MALFORMED);
    assertReason(() -> Blocks.verify(SignedBlock.newBuilder()
        .setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray(), committee),
        Reason.MALFORMED);
    assertReason(() -> Blocks.verify(Blocks.sign(keys[0], block(4, 0)).toByteArray(), committee),
        Reason.WRONG_EPOCH);
    assertReason(() -> Blocks.verify(Blocks.sign(keys[0], block(5, 2)).toByteArray(), committee),
        Reason.UNKNOWN_AUTHOR);
    assertReason(() -> Blocks.verify(Blocks.sign(keys[0], block(5, -1)).toByteArray(), committee),
        Reason.UNKNOWN_AUTHOR);
    // Signed by author 0's key but claiming author 1.
    assertReason(() -> Blocks.verify(Blocks.sign(keys[0], block(5, 1)).toByteArray(), committee),
        Reason.BAD_SIGNATURE);
    SignedBlock signed = Blocks.sign(keys[1], block(5, 1));
    assertReason(() -> Blocks.verify(signed.toBuilder().clearSignature().build().toByteArray(),
        committee), Reason.BAD_SIGNATURE);
    Block altered = block(5, 1).toBuilder().setPayload(ByteString.copyFromUtf8("other")).build();
    assertReason(() -> Blocks.verify(signed.toBuilder().setBlock(altered.toByteString()).build()
        .toByteArray(), committee), Reason.BAD_SIGNATURE);
    Block shortVote = block(5, 1).toBuilder().addCommitVotes(
        io.weft.proto.chain.CommitVote.newBuilder().setIndex(3)
            .setDigest(ByteString.copyFrom(new byte[5]))).build();
    assertReason(() -> Blocks.verify(Blocks.sign(keys[1], shortVote).toByteArray(), committee),
        Reason.MALFORMED);
  }

  @Test
  void verifyAgainstRequiresTheExpectedRef() {
    byte[] bytes = Blocks.sign(keys[1], block(5, 1)).toByteArray();
    Digest digest = Digests.blake2b256(bytes);
    Digest other = Digests.blake2b256(new byte[] {1});
    assertReason(() -> Blocks.verifyAgainst(bytes, BlockRefs.of(7, 1, other), committee),
        Reason.BLOCK_REF_MISMATCH);
    assertReason(() -> Blocks.verifyAgainst(bytes, BlockRefs.of(8, 1, digest), committee),
        Reason.BLOCK_REF_MISMATCH);
    assertReason(() -> Blocks.verifyAgainst(bytes, BlockRefs.of(7, 0, digest), committee),
        Reason.BLOCK_REF_MISMATCH);
    assertThatThrownBy(() -> Blocks.verifyAgainst(bytes, BlockRefs.of(7, 1, other), committee))
        .hasMessageContaining("7/1/" + other.shortHex())
        .isInstanceOfSatisfying(ChainVerificationException.class,
            e -> assertThat(e.metricTag()).isEqualTo("block_ref_mismatch"));
  }
}
