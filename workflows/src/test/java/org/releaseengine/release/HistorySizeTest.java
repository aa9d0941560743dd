package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.VerificationSpec;

/**
 * A release's history grows with its measurements, not with their square: with a notifier that
 * keeps a message up to date, a verification of three checks of 500 measurements each stays well
 * under the server's history limit. Before, every measurement sent the whole status (every
 * measurement so far) to the notifier, tens of MB in all.
 */
class HistorySizeTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  private static MetricCheck check(String name) {
    return new MetricCheck(
        name,
        "rate(" + name + "{slot=\"$slot\"}[1m])",
        null,
        0.05,
        Duration.ofSeconds(1),
        500,
        0,
        MetricCheck.NoData.IGNORE);
  }

  @Test
  void fifteenHundredMeasurementsTakeUnderAThousandBytesEach() {
    ReleaseSpec plain = Specs.withVerification("shop", check("errors"));
    EnvironmentSpec production = plain.environment(ReleaseSpec.PRODUCTION);
    Map<String, EnvironmentSpec> envs = new java.util.LinkedHashMap<>(plain.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            production.url(),
            production.hosts(),
            production.slots(),
            production.healthPath(),
            production.rollbackWindow(),
            new VerificationSpec(
                "http://127.0.0.1:9090",
                List.of(check("errors"), check("latency"), check("saturation")))));
    ReleaseSpec spec =
        new ReleaseSpec(
            "shop", plain.source(), plain.image(), plain.approval(), envs, null, null, null);
    engine.stages.scriptMetrics(List.of(0.0));
    ReleaseWorkflow release = engine.start(Specs.request(spec, SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    int measurements = done.measurements().size();
    assertEquals(1500, measurements);
    long bytes =
        engine
            .client
            .fetchHistory(EngineNames.releaseId("shop", SHA_1))
            .getHistory()
            .getSerializedSize();
    System.out.println(
        "history: " + bytes + " bytes, " + bytes / measurements + " per measurement");
    assertTrue(bytes < 5_000_000, "the release's history is " + bytes + " bytes");
    assertTrue(
        bytes / measurements <= 1000,
        bytes / measurements + " bytes of history per measurement (" + bytes + " in all)");
    assertTrue(engine.notifier.notices.size() > 1, "the notifier kept the message up to date");
  }
}
