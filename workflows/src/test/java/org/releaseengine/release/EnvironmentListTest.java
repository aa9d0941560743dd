package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/** A release.yaml that lists its environments: the release walks them in order. */
class EnvironmentListTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void walksEveryEnvironmentInOrderWithAnApprovalGateEach() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.listed("shop"), SHA_1, "dave"));
    ReleaseStatus waiting =
        engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    assertEquals(
        List.of(
            "policy",
            "build",
            "scan",
            "deploy dev",
            "e2e dev",
            "verify dev",
            "deploy staging",
            "verify staging",
            "approval production-eu",
            "deploy production-eu",
            "verify production-eu",
            "approval production-us",
            "deploy production-us",
            "verify production-us"),
        waiting.stages().stream().map(StageStatus::label).toList());
    assertEquals("approval production-eu", waiting.currentStageLabel());
    assertEquals(List.of("dev", "staging"), deployed());
    assertEquals(
        List.of("http://127.0.0.1:17080"),
        engine.stages.calls("e2e").stream().map(Call::environment).toList(),
        "the suite runs against its own environment's URL");

    release.approve(new Approval("bob", "eu"));
    ReleaseStatus second =
        engine.awaitStatus(
            release,
            s ->
                s.state() == ReleaseState.AWAITING_APPROVAL
                    && "approval production-us".equals(s.currentStageLabel()));
    assertEquals(List.of("dev", "staging", "production-eu"), deployed());
    assertEquals(
        StageState.RUNNING,
        second.stage(org.releaseengine.model.Stage.APPROVAL, "production-us").state(),
        "bob's approval of production-eu does not open production-us");

    release.approve(new Approval("alice", "us"));
    ReleaseStatus done = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    assertEquals(List.of("dev", "staging", "production-eu", "production-us"), deployed());
    assertEquals(
        List.of("dev", "staging", "production-eu", "production-us"),
        engine.stages.calls("verify").stream().map(Call::environment).toList());
    for (StageStatus stage : done.stages()) {
      assertTrue(
          stage.state() == StageState.SUCCEEDED || stage.state() == StageState.SKIPPED,
          stage.toString());
    }
    for (String env : List.of("dev", "staging", "production-eu", "production-us")) {
      assertEquals(SHA_1, engine.environment("shop", env).liveSha(), env);
    }
  }

  @Test
  void stopsAtTheFirstEnvironmentThatFails() {
    engine.stages.failing.add("verify:staging");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.listed("shop"), SHA_1, "dave"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals("verify staging", done.failedStageLabel());
    assertEquals(List.of("dev", "staging"), deployed(), "nothing after staging was deployed");
    assertEquals(
        StageState.PENDING,
        done.stage(org.releaseengine.model.Stage.DEPLOY, "production-eu").state());
  }

  @Test
  void aFailedVerificationRollsThatEnvironmentBackAndGoesNoFurther() {
    ReleaseWorkflow first = engine.start(Specs.request(Specs.listed("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    first.approve(new Approval("bob", null));
    engine.awaitStatus(
        first,
        s ->
            s.state() == ReleaseState.AWAITING_APPROVAL
                && "approval production-us".equals(s.currentStageLabel()));
    first.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(first).state());

    engine.stages.failing.add("verify:staging");
    ReleaseWorkflow second = engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_2, "dave"));
    ReleaseStatus done = engine.result(second);

    assertEquals(ReleaseState.ROLLED_BACK, done.state(), done.reason());
    assertEquals("verify staging", done.failedStageLabel());
    assertTrue(done.reason().contains("staging rolled back to " + SHA_1), done.reason());
    assertEquals(SHA_1, engine.environment("shop", "staging").liveSha());
    assertEquals(Specs.SHA_2, engine.environment("shop", "dev").liveSha());
    assertEquals(SHA_1, engine.environment("shop", "production-eu").liveSha());
  }

  @Test
  void aFailedE2eSuiteRollsItsEnvironmentBackToo() {
    ReleaseWorkflow first = engine.start(Specs.request(Specs.listed("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    first.abort(new AbortRequest("dave", "dev and staging are enough"));
    assertEquals(ReleaseState.ABORTED, engine.result(first).state());

    engine.stages.failing.add("e2e:http://127.0.0.1:17080");
    ReleaseStatus done =
        engine.result(engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_2, "dave")));

    assertEquals(ReleaseState.ROLLED_BACK, done.state(), done.reason());
    assertEquals("e2e dev", done.failedStageLabel());
    assertTrue(done.reason().contains("dev rolled back to " + SHA_1), done.reason());
    assertEquals(SHA_1, engine.environment("shop", "dev").liveSha());
    assertEquals(SHA_1, engine.environment("shop", "staging").liveSha(), "staging was not reached");
  }

  private List<String> deployed() {
    return engine.stages.calls("deploy").stream().map(Call::environment).toList();
  }
}
