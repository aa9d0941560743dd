package org.releaseengine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.common.converter.DataConverterException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.environment.Operation;

/**
 * The closed sets travel as the strings they always were: the checked-in histories hold them, and
 * scripts read them in the CLI's JSON.
 */
class SpellingsTest {

  @Test
  void enumsAreWrittenAsTheirSpelling() {
    assertEquals(
        "{\"kind\":\"approve\",\"by\":\"ann\",\"comment\":null,\"atMs\":1,\"key\":null}",
        Json.write(new Decision(Decision.Kind.APPROVE, "ann", null, 1)));
    assertEquals("\"setWeight\"", Json.write(CanaryStep.Kind.SET_WEIGHT));
    assertEquals("\"pause\"", Json.write(CanaryStep.Kind.PAUSE));
    assertEquals("\"analysis\"", Json.write(CanaryStep.Kind.ANALYSIS));
    assertEquals("\"ignore\"", Json.write(MetricCheck.NoData.IGNORE));
    assertEquals("\"npm-audit\"", Json.write(ReportFormat.NPM_AUDIT));
    assertEquals("\"error\"", Json.write(ScannerSpec.FailOn.ERROR));
    assertEquals("\"promote\"", Json.write(Decision.Kind.PROMOTE));
  }

  @Test
  void spellingsAreReadBack() {
    Decision decision =
        Json.read(
            "{\"kind\":\"reject\",\"by\":\"bo\",\"comment\":\"no\",\"atMs\":2}", Decision.class);
    assertEquals(Decision.Kind.REJECT, decision.kind());
    CanaryStep step =
        Json.read(
            "{\"kind\":\"setWeight\",\"weight\":10,\"pause\":null,\"checks\":null}",
            CanaryStep.class);
    assertEquals(CanaryStep.setWeight(10), step);
    ScannerSpec scanner =
        Json.read(
            "{\"name\":\"pmd\",\"command\":\"sh pmd.sh\",\"report\":\"pmd.sarif\","
                + "\"format\":\"sarif\",\"failOn\":\"moderate\",\"timeout\":600.0,"
                + "\"allowlist\":[]}",
            ScannerSpec.class);
    assertEquals(
        new ScannerSpec(
            "pmd",
            "sh pmd.sh",
            "pmd.sarif",
            ReportFormat.SARIF,
            ScannerSpec.FailOn.MODERATE,
            Duration.ofMinutes(10),
            List.of()),
        scanner);
    assertEquals(Severity.MEDIUM, scanner.failOn().severity());
    MetricCheck check =
        Json.read(
            "{\"name\":\"e\",\"query\":\"q\",\"min\":null,\"max\":1.0,\"interval\":10.0,"
                + "\"count\":3,\"failureLimit\":0,\"noData\":\"fail\"}",
            MetricCheck.class);
    assertEquals(MetricCheck.NoData.FAIL, check.noData());
    assertNull(Json.read("{\"kind\":null,\"weight\":0}", CanaryStep.class).kind());
  }

  @Test
  void operationsAndMeasurementsKeepTheirWords() {
    assertEquals(
        "{\"id\":\"rb-1\",\"kind\":\"rollback\",\"sha\":\"abc\",\"requester\":\"erin\","
            + "\"state\":\"REFUSED\",\"reason\":\"no\",\"startedAtMs\":1,\"endedAtMs\":1,"
            + "\"notes\":null}",
        Json.write(
            new Operation(
                "rb-1",
                Operation.Kind.ROLLBACK,
                "abc",
                "erin",
                Operation.State.REFUSED,
                "no",
                1,
                1)));
    assertEquals("\"deploy\"", Json.write(Operation.Kind.DEPLOY));
    for (Operation.State state : Operation.State.values()) {
      assertEquals("\"" + state.name() + "\"", Json.write(state));
    }
    assertEquals(
        "{\"check\":\"errors\",\"atMs\":2,\"value\":null,\"verdict\":\"NO_DATA\"}",
        Json.write(new Measurement("errors", 2, null, Measurement.Verdict.NO_DATA)));
    assertEquals("\"PASS\"", Json.write(Measurement.Verdict.PASS));
    assertEquals("\"FAIL\"", Json.write(Measurement.Verdict.FAIL));
    assertEquals("\"ERROR\"", Json.write(Measurement.Verdict.ERROR));
  }

  @Test
  void operationsAndMeasurementsAreReadBack() {
    Operation op =
        Json.read(
            "{\"id\":\"o-1\",\"kind\":\"deploy\",\"sha\":\"abc\",\"requester\":\"ci\","
                + "\"state\":\"RUNNING\",\"reason\":null,\"startedAtMs\":5,\"endedAtMs\":0}",
            Operation.class);
    assertEquals(Operation.Kind.DEPLOY, op.kind());
    assertEquals(Operation.State.RUNNING, op.state());
    assertEquals(false, op.finished());
    Measurement m =
        Json.read(
            "{\"check\":\"e\",\"atMs\":1,\"value\":0.5,\"verdict\":\"FAIL\"}", Measurement.class);
    assertEquals(Measurement.Verdict.FAIL, m.verdict());
    assertThrows(
        DataConverterException.class,
        () -> Json.read("{\"check\":\"e\",\"atMs\":1,\"verdict\":\"PASSED\"}", Measurement.class));
    assertThrows(
        DataConverterException.class,
        () ->
            Json.read("{\"id\":\"o\",\"kind\":\"Deploy\",\"state\":\"RUNNING\"}", Operation.class));
  }

  @Test
  void anUnknownSpellingIsRefused() {
    assertThrows(
        DataConverterException.class,
        () -> Json.read("{\"kind\":\"approved\",\"by\":\"x\",\"atMs\":0}", Decision.class));
    assertNull(ReportFormat.parse("checkstyle"));
    assertNull(ScannerSpec.FailOn.parse("severe"));
  }
}
