package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.weft.proto.FetchBlocksResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FetchBlocks answer read from its raw bytes: counted on the loop, decoded on a worker. */
class RawBlocksResponseTest {

  private static byte[] response(byte[]... blocks) {
    FetchBlocksResponse.Builder b = FetchBlocksResponse.newBuilder();
    for (byte[] block : blocks) {
      b.addBlocks(ByteString.copyFrom(block));
    }
    return b.build().toByteArray();
  }

  /** Verifies that count and blocks agree with the protobuf parser, block bytes and order included (an empty block too). */
  @Test
  void countsAndDecodesLikeTheParser() throws Exception {
    byte[] message = response(new byte[] {1, 2, 3}, new byte[0], new byte[300]);
    List<byte[]> blocks = new ArrayList<>();
    RawBlocksResponse.blocks(message, blocks);

    assertThat(RawBlocksResponse.count(message)).isEqualTo(3);
    List<ByteString> parsed = FetchBlocksResponse.parseFrom(message).getBlocksList();
    assertThat(blocks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(Arrays.equals(blocks.get(i), parsed.get(i).toByteArray())).as("block %d", i).isTrue();
    }
    assertThat(RawBlocksResponse.count(new byte[0])).isZero();
  }

  /** Verifies that fields the message does not define are skipped, not counted as blocks. */
  @Test
  void skipsUnknownFields() throws Exception {
    FetchBlocksResponse withUnknown = FetchBlocksResponse.newBuilder()
        .addBlocks(ByteString.copyFrom(new byte[] {7}))
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).addVarint(5).build())
            .build())
        .build();
    byte[] message = withUnknown.toByteArray();
    List<byte[]> blocks = new ArrayList<>();
    RawBlocksResponse.blocks(message, blocks);

    assertThat(RawBlocksResponse.count(message)).isEqualTo(1);
    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0)).containsExactly(7);
  }

  /** Verifies that a truncated message is rejected by the count on the loop, before anything is decoded. */
  @Test
  void rejectsATruncatedMessage() {
    byte[] message = response(new byte[100]);
    byte[] truncated = Arrays.copyOf(message, message.length - 10);

    assertThatThrownBy(() -> RawBlocksResponse.count(truncated)).isInstanceOf(InvalidProtocolBufferException.class);
  }
}
