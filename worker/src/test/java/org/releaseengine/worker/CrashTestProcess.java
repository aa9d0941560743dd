package org.releaseengine.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.releaseengine.EngineNames;
import org.releaseengine.Specs;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * A {@link CrashTestWorker} in a process of its own (so that a test can kill it with SIGKILL), and
 * the lines it prints, which the crash tests wait on.
 */
final class CrashTestProcess {

  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private CrashTestProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /** A worker polling {@code address} whose stand-in deploys take {@code deploySeconds}. */
  static CrashTestProcess start(String address, int deploySeconds) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new CrashTestProcess(
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashTestWorker.class.getName(),
                address,
                String.valueOf(deploySeconds))
            .redirectErrorStream(true)
            .start());
  }

  /** Starts a release of the stand-in spec of {@code service} on the server at {@code address}. */
  static ReleaseWorkflow startRelease(String address, String service) {
    WorkflowClient client =
        WorkflowClient.newInstance(
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build()),
            WorkflowClientOptions.newBuilder().setNamespace("default").build());
    ReleaseWorkflow release =
        client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.releaseId(service, Specs.SHA_1))
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, Specs.request(Specs.spec(service), Specs.SHA_1, "dave"));
    return release;
  }

  /** Waits until the worker prints a line starting with {@code start}. */
  void awaitLine(String start, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.append(line).append('\n');
        if (line.startsWith(start)) {
          return;
        }
      }
    }
    throw new AssertionError(
        "no line starting '" + start + "' within " + seconds + "s; saw:\n" + seen);
  }
}
