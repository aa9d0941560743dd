package org.releaseengine.cli;

import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.workflow.v1.WorkflowExecutionExtendedInfo;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.Map;
import org.releaseengine.model.ReleaseStatus;

/**
 * A command that talks to Temporal spends most of its time, in a fresh JVM, initializing the
 * libraries it calls. While the main thread parses the command line and connects (Netty, gRPC),
 * this second thread, on the other core, prepares what the command reaches after that: the release
 * id patterns, the data converter's Jackson mapper, the protobuf descriptors that parsing a
 * described workflow's map fields builds, and Jackson's reader of a release's status (a class one
 * thread is initializing, the other waits for).
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
      // the descriptors that parsing a describe's and a history's map fields builds
      WorkflowExecutionExtendedInfo.getDefaultInstance().getRequestIdInfosMap();
      SearchAttributes.getDefaultInstance().getIndexedFieldsMap();
      Memo.getDefaultInstance().getFieldsMap();
      Payload.getDefaultInstance().getMetadataMap();
      // the converter's reader of a status (a query's answer or a finished release's result)
      Payload empty = converter.toPayload(Map.of()).orElseThrow();
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
