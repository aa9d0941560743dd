package org.releaseengine.model;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;

/** Values as Temporal's default data converter writes them into history and reads them back. */
public final class Json {

  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private Json() {}

  public static String write(Object value) {
    return CONVERTER.toPayload(value).orElseThrow().getData().toStringUtf8();
  }

  public static <T> T read(String json, Class<T> type) {
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(json))
            .build();
    return CONVERTER.fromPayload(payload, type, type);
  }
}
