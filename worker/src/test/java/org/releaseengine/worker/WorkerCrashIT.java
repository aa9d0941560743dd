package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.ServerUnderTest;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * A Temporal server runs (bin/release-server under scripts/test.sh); a separate worker process is
 * killed with SIGKILL in the middle of a deploy; a new worker process takes over and the release
 * completes.
 */
class WorkerCrashIT {

  private ServerUnderTest server;
  private Process firstWorker;
  private Process secondWorker;

  @AfterEach
  void stopAll() {
    for (Process p : new Process[] {secondWorker, firstWorker}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aKilledWorkerNeverStrandsARelease() throws Exception {
    server = ServerUnderTest.start();
    String address = server.address();

    firstWorker = worker(address);
    BlockingQueue<String> first = lines(firstWorker);
    awaitLine(first, "crash-test worker ready", 60);

    WorkflowClient client =
        WorkflowClient.newInstance(
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build()),
            WorkflowClientOptions.newBuilder().setNamespace("default").build());
    ReleaseWorkflow release =
        client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.releaseId("crash", Specs.SHA_1))
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, Specs.request(Specs.spec("crash"), Specs.SHA_1, "dave"));

    awaitLine(first, "deploy started: staging", 60);
    Thread.sleep(1000);
    long pid = firstWorker.pid();
    firstWorker.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the server
    assertTrue(firstWorker.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, firstWorker.exitValue(), "worker " + pid + " should die of SIGKILL");

    secondWorker = worker(address);
    BlockingQueue<String> second = lines(secondWorker);
    awaitLine(second, "deploy started: staging", 90);
    awaitLine(second, "deploy finished: staging", 60);

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (release.status().state() != ReleaseState.AWAITING_APPROVAL
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    release.approve(new Approval("bob", null));
    ReleaseStatus done =
        WorkflowStub.fromTyped(release).getResult(120, TimeUnit.SECONDS, ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.toString());
    assertEquals(List.of("bob"), done.approvers());
  }

  private Process worker(String address) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashTestWorker.class.getName(),
            address,
            "6")
        .redirectErrorStream(true)
        .start();
  }

  private static BlockingQueue<String> lines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
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
    return lines;
  }

  private static void awaitLine(BlockingQueue<String> lines, String start, int seconds)
      throws InterruptedException {
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
