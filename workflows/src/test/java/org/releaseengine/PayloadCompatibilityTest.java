package org.releaseengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.environment.Forgotten;
import org.releaseengine.model.Json;
import org.releaseengine.model.Measurement;

/**
 * Payloads written by earlier code (signals in the history of a waiting release, carried state)
 * still read: a field they lack reads as null or 0, and a field a later version adds is ignored.
 */
class PayloadCompatibilityTest {

  private static final Measurement M1 =
      new Measurement("error-rate", 1, 0.01, Measurement.Verdict.PASS);
  private static final Measurement M2 =
      new Measurement("error-rate", 2, 0.02, Measurement.Verdict.PASS);
  private static final Measurement M3 =
      new Measurement("error-rate", 3, 0.03, Measurement.Verdict.PASS);

  @Test
  void anOldProgressReportCarriesEveryMeasurementAndReplacesWhatTheReleaseKnew() {
    DeployProgress old =
        Json.read(
            "{\"orderId\":\"o/production\",\"step\":\"step 2 of 3\",\"weight\":10,"
                + "\"measurements\":[{\"check\":\"error-rate\",\"atMs\":1,\"value\":0.01,"
                + "\"verdict\":\"PASS\"},{\"check\":\"error-rate\",\"atMs\":2,\"value\":0.02,"
                + "\"verdict\":\"PASS\"}]}",
            DeployProgress.class);
    assertEquals(0, old.from());
    assertEquals(List.of(M1, M2), old.appendTo(List.of(M1)));
  }

  @Test
  void aNewProgressReportAddsItsMeasurementsAfterThoseSentBefore() {
    DeployProgress next = new DeployProgress("o", "step", 50, List.of(M3), 2);
    assertEquals(List.of(M1, M2, M3), next.appendTo(List.of(M1, M2)));
    assertEquals(
        List.of(M1, M2, M3),
        next.appendTo(List.of(M1, M2, M3)),
        "a report read twice is not added twice");
  }

  @Test
  void aFieldALaterVersionAddsIsIgnored() {
    DeployProgress later =
        Json.read(
            "{\"orderId\":\"o\",\"step\":\"s\",\"weight\":5,\"measurements\":[],\"from\":3,"
                + "\"somethingNew\":true}",
            DeployProgress.class);
    assertEquals(3, later.from());
  }

  @Test
  void aDeployOrderWithoutThePolicysAllowanceMayNotGoBackAndLeavesItOutOfItsJson() {
    DeployOrder order =
        new DeployOrder(
            "o/production",
            "release/shop/1",
            "shop",
            "production",
            null,
            null,
            "dave",
            null,
            null,
            5L);
    String json = Json.write(order);
    assertFalse(json.contains("allowOlder"), json);
    DeployOrder read = Json.read(json, DeployOrder.class);
    assertNull(read.allowOlder());
    assertFalse(read.olderAllowed());
    DeployOrder allowed =
        Json.read(
            json.substring(0, json.lastIndexOf('}')) + ",\"allowOlder\":true}", DeployOrder.class);
    assertTrue(allowed.olderAllowed());
    assertEquals(5L, allowed.admittedAtMs());
  }

  @Test
  void anEarlierEnvironmentsForgottenCountsReadWithNoAuditEntryDropped() {
    Forgotten old = Json.read("{\"deployments\":2,\"operations\":3,\"hosts\":4}", Forgotten.class);
    assertEquals(new Forgotten(2, 3, 4, 0), old);
    Forgotten later =
        Json.read(
            "{\"deployments\":2,\"operations\":3,\"hosts\":4,\"unarchivedAudit\":5,"
                + "\"somethingNew\":1}",
            Forgotten.class);
    assertEquals(new Forgotten(2, 3, 4, 5), later);
  }
}
