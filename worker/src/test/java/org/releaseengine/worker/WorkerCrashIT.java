package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.ServerUnderTest;
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
  private CrashTestProcess firstWorker;
  private CrashTestProcess secondWorker;

  @AfterEach
  void stopAll() {
    for (CrashTestProcess p : new CrashTestProcess[] {secondWorker, firstWorker}) {
      if (p != null) {
        p.process.destroyForcibly();
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

    firstWorker = CrashTestProcess.start(address, 6);
    firstWorker.awaitLine("crash-test worker ready", 60);

    ReleaseWorkflow release = CrashTestProcess.startRelease(address, "crash");

    firstWorker.awaitLine("deploy started: staging", 60);
    Thread.sleep(1000);
    Process first = firstWorker.process;
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the server
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, first.exitValue(), "worker " + first.pid() + " should die of SIGKILL");

    secondWorker = CrashTestProcess.start(address, 6);
    secondWorker.awaitLine("deploy started: staging", 90);
    secondWorker.awaitLine("deploy finished: staging", 60);

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
}
