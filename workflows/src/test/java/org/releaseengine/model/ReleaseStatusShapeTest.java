package org.releaseengine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status is a workflow result in the checked-in histories and what {@code release-cli status
 * --output json} prints: however it is put together, its JSON (written by Temporal's default data
 * converter, {@link Json}) keeps its field names and nesting.
 */
class ReleaseStatusShapeTest {

  /** The JSON of {@link #everyPart()} as the 18-argument constructor wrote it. */
  private static final String JSON =
      "{\"releaseId\":\"shop/abc123\",\"service\":\"shop\",\"sha\":\"abc123\","
          + "\"requester\":\"ci\",\"approvalPolicy\":{\"approvers\":[\"ann\",\"bob\"],"
          + "\"required\":1,\"allowSelfApproval\":false,\"timeout\":3600.000000000,"
          + "\"signedOnly\":true},\"state\":\"ROLLED_BACK\",\"currentStage\":\"VERIFY\","
          + "\"stages\":[{\"stage\":\"BUILD\",\"state\":\"SUCCEEDED\",\"startedAtMs\":1,"
          + "\"endedAtMs\":2,\"summary\":\"built\"},{\"stage\":\"VERIFY\",\"state\":\"FAILED\","
          + "\"startedAtMs\":3,\"endedAtMs\":4,\"summary\":\"bad\"}],"
          + "\"image\":{\"repository\":\"registry/shop\",\"sha\":\"abc123\","
          + "\"digest\":\"sha256:ff\"},\"decisions\":[{\"kind\":\"approve\",\"by\":\"ann\","
          + "\"comment\":\"ok\",\"atMs\":5,\"key\":\"SHA256:k\"}],"
          + "\"refusedSignals\":[{\"signal\":\"approve\",\"by\":\"ci\","
          + "\"reason\":\"self-approval\",\"atMs\":6}],\"failedStage\":\"VERIFY\","
          + "\"reason\":\"metric analysis failed\",\"startedAtMs\":1,\"endedAtMs\":7,"
          + "\"notificationError\":\"slack down\",\"measurements\":[{\"check\":\"errors\","
          + "\"atMs\":4,\"value\":0.5,\"verdict\":\"FAIL\"}],\"refusedSignalsDropped\":3}";

  private static ReleaseStatus everyPart() {
    return ReleaseStatus.builder("shop/abc123")
        .request(
            "shop",
            "abc123",
            "ci",
            new ApprovalPolicy(List.of("ann", "bob"), 1, false, Duration.ofHours(1), true))
        .state(ReleaseState.ROLLED_BACK)
        .stages(
            Stage.VERIFY,
            List.of(
                new StageStatus(Stage.BUILD, StageState.SUCCEEDED, 1, 2, "built"),
                new StageStatus(Stage.VERIFY, StageState.FAILED, 3, 4, "bad")))
        .image(new ImageRef("registry/shop", "abc123", "sha256:ff"))
        .decisions(
            List.of(new Decision(Decision.Kind.APPROVE, "ann", "ok", 5, "SHA256:k")),
            List.of(new RefusedSignal("approve", "ci", "self-approval", 6)),
            3)
        .stopped(Stage.VERIFY, "metric analysis failed")
        .times(1, 7)
        .notificationError("slack down")
        .measurements(List.of(new Measurement("errors", 4, 0.5, Measurement.Verdict.FAIL)))
        .build();
  }

  /** The same JSON with the field added later (traffic), which the older JSON reads without. */
  private static final String JSON_NOW =
      JSON.substring(0, JSON.length() - 1) + ",\"traffic\":null}";

  @Test
  void aBuiltStatusWritesTheJsonTheConstructorWrote() {
    assertEquals(JSON_NOW, Json.write(everyPart()));
  }

  @Test
  void theVerificationsTrafficIsOneAddedField() {
    ReleaseStatus status =
        ReleaseStatus.builder("shop/1").traffic(new TrafficCount(200, 3, null)).build();
    String json = Json.write(status);
    assertEquals(
        true,
        json.endsWith(
            ",\"refusedSignalsDropped\":0,\"traffic\":{\"sent\":200,\"failed\":3,\"error\":null}}"),
        json);
    assertEquals(status, Json.read(json, ReleaseStatus.class));
  }

  @Test
  void theJsonReadsBackAsTheSameStatus() {
    assertEquals(everyPart(), Json.read(JSON, ReleaseStatus.class));
  }

  @Test
  void aMappingsSpecHasNoStepsInItsJsonSoItsHashStaysTheSame() {
    ReleaseSpec mapping =
        new ReleaseSpec("shop", null, null, null, java.util.Map.of(), null, null, null);
    assertEquals(
        "{\"service\":\"shop\",\"source\":null,\"image\":null,\"approval\":null,"
            + "\"environments\":{},\"scanners\":null,\"e2e\":null,\"notifications\":null}",
        Json.write(mapping));
    ReleaseSpec listed = mapping.withSteps(List.of(new EnvironmentStep("dev", null, null, true)));
    assertEquals(listed, Json.read(Json.write(listed), ReleaseSpec.class));
  }

  @Test
  void aNewReleaseLeavesEveryPartEmpty() {
    assertEquals(
        "{\"releaseId\":\"shop/1\",\"service\":null,\"sha\":null,\"requester\":null,"
            + "\"approvalPolicy\":null,\"state\":\"RUNNING\",\"currentStage\":null,"
            + "\"stages\":null,\"image\":null,\"decisions\":null,\"refusedSignals\":null,"
            + "\"failedStage\":null,\"reason\":null,\"startedAtMs\":0,\"endedAtMs\":0,"
            + "\"notificationError\":null,\"measurements\":null,\"refusedSignalsDropped\":0,"
            + "\"traffic\":null}",
        Json.write(ReleaseStatus.builder("shop/1").state(ReleaseState.RUNNING).build()));
  }
}
