package io.weft.sync;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import java.io.IOException;
import java.util.List;

/**
 * FetchBlocks answers kept as raw {@link FetchBlocksResponse} bytes on the event loop and parsed
 * on the worker pool: a batch's answer is hundreds of KB, and decoding it where it arrives held
 * the sync loop for milliseconds. On the loop a message is only copied out of the frame and its
 * blocks counted (a scan of tags and lengths), so the "no more than asked" bound still holds there.
 */
final class RawBlocksResponse {

  /** FetchBlocks whose stream yields each response message's bytes, undecoded. */
  static final ServiceMethod<byte[], FetchBlocksRequest> FETCH_BLOCKS = ServiceMethod.client(
      ServiceName.create("weft.p2p.v1", "P2p"), "FetchBlocks", GrpcMessageEncoder.encoder(), new Decoder());

  /** {@code blocks} (field 1, length-delimited): the tag each block of a response starts with. */
  private static final int BLOCK_TAG = (FetchBlocksResponse.BLOCKS_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private RawBlocksResponse() {
  }

  /** How many blocks one response message carries; throws when it is not a well-formed message. */
  static int count(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    int count = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == BLOCK_TAG) {
        count++;
      }
      if (!in.skipField(tag)) {
        break;
      }
    }
    return count;
  }

  /** Appends the blocks of one response message to {@code into}, in order. */
  static void blocks(byte[] message, List<byte[]> into) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == BLOCK_TAG) {
        into.add(in.readByteArray());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
  }

  private static final class Decoder implements GrpcMessageDecoder<byte[]> {
    @Override
    public byte[] decode(GrpcMessage message) throws CodecException {
      // what the generated protobuf decoder copies out before it parses (decompression is done by then)
      return message.payload().getBytes();
    }

    @Override
    public boolean accepts(io.vertx.grpc.common.WireFormat format) {
      return format == io.vertx.grpc.common.WireFormat.PROTOBUF;
    }
  }
}
