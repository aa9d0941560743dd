package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.releaseengine.Specs.SHA_1;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.SlowSignal;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * An approval and the approval timeout handled in one workflow task: the recorded decision counts,
 * not which wake-up came first. Runs in real time: a two-second approval window, and mallory's
 * (refused) approval holds its workflow task open for three seconds, so that bob's approval and the
 * timer's firing arrive together in the next one.
 */
class ApprovalRaceTest {

  private final EngineTestEnvironment engine =
      new EngineTestEnvironment(
          new SlowSignal(
              s ->
                  s.getSignalName().equals("approve")
                      && s.getArguments()[0] instanceof Approval a
                      && "mallory".equals(a.approver()),
              Duration.ofSeconds(3)));

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void approvalHandledWithTheTimeoutInOneTaskIsHonoured() {
    ApprovalPolicy policy =
        new ApprovalPolicy(List.of("alice", "bob", "carol"), 1, false, Duration.ofSeconds(2));
    ReleaseWorkflow release =
        engine.start(Specs.request(Specs.spec("shop", policy), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("mallory", null)); // holds the next workflow task open
    EngineTestEnvironment.sleep(1000);
    release.approve(new Approval("bob", null));
    ReleaseStatus done = engine.result(release);

    assertEquals(List.of("bob"), done.approvers(), done.toString());
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
  }
}
