package org.releaseengine.cli;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.common.converter.GlobalDataConverter;
import org.releaseengine.model.ReleaseStatus;

/**
 * A command that talks to Temporal spends most of its time, in a fresh JVM, initializing the
 * libraries it calls. While the main thread parses the command line and connects (Netty, gRPC),
 * this second thread, on the other core, prepares what the command reaches after that: the release
 * id patterns, the data converter's Jackson mapper, the protobuf descriptors that parsing a
 * history's or a query's payloads builds, and Jackson's reader of a release's status (a class one
 * thread is initializing, the other waits for). The connection is opened on a third thread (see
 * {@link Temporal#connectEarly}).
 *
 * <p>Only class initialization and caches: no connection, no file, nothing the command reads back
 * differs from what it would have built itself. A failure here is ignored: the command then does
 * the same work itself and reports any failure as usual.
 */
final class ClientWarmup {

  private ClientWarmup() {}

  /** Starts the warm-up; the thread never keeps the JVM alive. */
  static void start() {
    Thread thread = new Thread(ClientWarmup::run, "release-cli-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  static void run() {
    try {
      // the release id patterns (and the first string concatenation's bootstrap)
      initialize(Releases.class);
      // the client's converter (WorkflowClientOptions' default)
      DataConverter converter = GlobalDataConverter.get();
      // the descriptors that parsing a history's, a query's and a listing's map fields builds (not
      // a describe's: status, the command to be fast, does not describe)
      SearchAttributes.getDefaultInstance().getIndexedFieldsMap();
      Memo.getDefaultInstance().getFieldsMap();
      Payload.getDefaultInstance().getMetadataMap();
      // the converter's reader of a status (a query's answer or a finished release's result)
      // an empty JSON object as the converter writes one, made without its serializers
      Payload empty =
          Payload.newBuilder()
              .putMetadata(
                  EncodingKeys.METADATA_ENCODING_KEY, ByteString.copyFromUtf8("json/plain"))
              .setData(ByteString.copyFromUtf8("{}"))
              .build();
      converter.fromPayload(empty, ReleaseStatus.class, ReleaseStatus.class);
    } catch (RuntimeException | LinkageError | ClassNotFoundException e) {
      // the command does this work itself
    }
  }

  /** Runs {@code type}'s static initializer, as its first use would. */
  private static void initialize(Class<?> type) throws ClassNotFoundException {
    Class.forName(type.getName(), true, type.getClassLoader());
  }
}
