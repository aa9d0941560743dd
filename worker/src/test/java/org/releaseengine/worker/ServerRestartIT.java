package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
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
 * The real server (bin/release-server, on SQLite) is killed with SIGKILL while a release waits for
 * approval and again in the middle of the production deploy; each time it is started again from its
 * database, the same worker process carries on, and the release completes.
 */
class ServerRestartIT {

  private ServerUnderTest server;
  private CrashTestProcess worker;

  @AfterEach
  void stopAll() {
    if (worker != null) {
      worker.process.destroyForcibly();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aReleaseSurvivesTwoServerKills() throws Exception {
    assertTrue(
        ServerUnderTest.real(),
        "needs the real server (RELEASE_TEST_SERVER=real, as scripts/test.sh sets it): the Java"
            + " test server keeps nothing when it dies");
    server =
        ServerUnderTest.start(
            ServerUnderTest.freePort(), Files.createTempDirectory("release-server-restart-"));
    String address = server.address();
    worker = CrashTestProcess.start(address, 6);
    worker.awaitLine("crash-test worker ready", 60);

    ReleaseWorkflow release = CrashTestProcess.startRelease(address, "restart");

    awaitState(release, ReleaseState.AWAITING_APPROVAL, 120);
    server.kill();
    server.restart();
    // the release is still there, still waiting, and takes the approval
    awaitState(release, ReleaseState.AWAITING_APPROVAL, 60);
    release.approve(new Approval("bob", null));

    worker.awaitLine("deploy started: production", 90);
    Thread.sleep(1000);
    server.kill();
    Thread.sleep(2000);
    server.restart();

    ReleaseStatus done =
        WorkflowStub.fromTyped(release).getResult(180, TimeUnit.SECONDS, ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.toString());
    assertEquals(List.of("bob"), done.approvers());
  }

  /** Polls the release's status query (which fails while the server is down) until it is there. */
  private static void awaitState(ReleaseWorkflow release, ReleaseState state, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    String last = "nothing";
    while (System.nanoTime() < deadline) {
      try {
        ReleaseState now = release.status().state();
        if (now == state) {
          return;
        }
        last = now.name();
      } catch (RuntimeException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not " + state + " within " + seconds + " s; last: " + last);
  }
}
