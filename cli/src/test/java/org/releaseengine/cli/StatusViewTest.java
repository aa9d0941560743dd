package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/** Stages and outcomes named with their environment when a release walks a list of them. */
class StatusViewTest {

  private static StageStatus done(Stage stage, String environment) {
    return new StageStatus(stage, StageState.SUCCEEDED, 1000, 3000, "ok", environment);
  }

  @Test
  void durationsAreSecondsToATenthRoundedHalfUp() {
    assertEquals("0.0s", Output.seconds(0));
    assertEquals("0.0s", Output.seconds(49));
    assertEquals("0.1s", Output.seconds(50));
    assertEquals("0.2s", Output.seconds(150));
    assertEquals("1.3s", Output.seconds(1250));
    assertEquals("61.0s", Output.seconds(60_999));
    assertEquals("", Output.seconds(-1));
  }

  @Test
  void aListedReleaseNamesTheEnvironmentOfEachStageAndWhereItEnded() {
    List<StageStatus> stages =
        List.of(
            done(Stage.BUILD, null),
            done(Stage.DEPLOY, "dev"),
            done(Stage.APPROVAL, "production-eu"),
            done(Stage.DEPLOY, "production-eu"));
    ReleaseStatus succeeded =
        ReleaseStatus.builder(EngineNames.releaseId("shop", "abc"))
            .state(ReleaseState.SUCCEEDED)
            .stages(stages.get(3), stages)
            .image(new ImageRef("127.0.0.1:5000/shop", "abc", "sha256:1"))
            .decisions(List.of(), List.of(), 0)
            .build();
    assertTrue(
        StatusView.stageLine(stages.get(2)).startsWith("approval production-eu   SUCCEEDED"),
        StatusView.stageLine(stages.get(2)));
    assertTrue(
        StatusView.outcomeLine(succeeded)
            .startsWith(
                EngineNames.releaseId("shop", "abc")
                    + " SUCCEEDED: 127.0.0.1:5000/shop@sha256:1 live in production-eu"),
        StatusView.outcomeLine(succeeded));
    ReleaseStatus failed =
        ReleaseStatus.builder(EngineNames.releaseId("shop", "abc"))
            .state(ReleaseState.FAILED)
            .stages(stages.get(1), stages.subList(0, 2))
            .stopped(Stage.E2E, "dev", "2 tests failed")
            .build();
    assertEquals(
        EngineNames.releaseId("shop", "abc") + " FAILED at stage e2e dev: 2 tests failed",
        StatusView.outcomeLine(failed));
  }

  @Test
  void theMappingsReleaseEndsInProduction() {
    ReleaseStatus succeeded =
        ReleaseStatus.builder(EngineNames.releaseId("shop", "abc"))
            .state(ReleaseState.SUCCEEDED)
            .stages(Stage.VERIFY, List.of(done(Stage.DEPLOY_PRODUCTION, null)))
            .image(new ImageRef("127.0.0.1:5000/shop", "abc", "sha256:1"))
            .decisions(List.of(), List.of(), 0)
            .build();
    assertTrue(StatusView.outcomeLine(succeeded).contains(" live in production ("));
    assertEquals(
        "deploy production",
        StatusView.stageLine(done(Stage.DEPLOY_PRODUCTION, null)).substring(0, 17));
  }
}
