package org.releaseengine.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.ScannerSpec.FailOn;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.ScanActivities;
import org.releaseengine.stage.ScanActivities.ScanRequest;

/**
 * The scan stage running real commands sealed in the gate runner image on a real checkout; PMD 7 is
 * the real scanner.
 */
class ScanRunnerIT {

  private TestActivityEnvironment env;
  private ScanActivities scan;
  private ExampleRepo repo;
  private String sha;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new ScanRunner(
            new SealedRunner(new DockerEngine(Infra.dockerHost()), SecretRedactor.none())));
    scan =
        env.newActivityStub(
            ScanActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    repo = ExampleRepo.create();
    sha = repo.commit("", "v1");
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private GateResult run(ScannerSpec... scanners) {
    return scan.scan(
        new ScanRequest(
            "hello-app",
            sha,
            new SourceSpec(repo.dir().toString(), ".", "Dockerfile"),
            Arrays.stream(scanners).map(s -> s.withRunner(Infra.gateRunner())).toList()));
  }

  private static ScannerSpec scanner(String command, String report, String format, String failOn) {
    return new ScannerSpec(
        "s",
        command,
        report,
        ReportFormat.parse(format),
        FailOn.parse(failOn),
        Duration.ofMinutes(3),
        List.of());
  }

  @Test
  void pmdRunsOnTheExampleAppAndItsSarifIsGated() {
    GateResult atError = run(scanner("sh scan/pmd.sh", "pmd.sarif", "sarif", "error"));
    assertTrue(atError.passed(), atError.summary());
    assertTrue(
        atError
            .summary()
            .startsWith("s (sarif): 0 critical, 0 high, 2 medium, 0 low, 0 info; passed"),
        atError.summary());
    assertTrue(
        atError.summary().contains("AvoidUsingHardCodedIP medium at src/hello/HelloApp.java:"),
        atError.summary());

    GateResult atWarning = run(scanner("sh scan/pmd.sh", "pmd.sarif", "sarif", "warning"));
    assertFalse(atWarning.passed());
    assertTrue(atWarning.summary().contains("FAILED: 2 at or above warning"), atWarning.summary());

    ScannerSpec allowed =
        new ScannerSpec(
            "pmd",
            "sh scan/pmd.sh",
            "pmd.sarif",
            ReportFormat.SARIF,
            FailOn.WARNING,
            Duration.ofMinutes(3),
            List.of(
                new AllowlistEntry(
                    "AvoidUsingHardCodedIP", "the app binds loopback on purpose", "2099-01-01"),
                new AllowlistEntry("LiteralsFirstInComparisons", "accepted", "2099-01-01")));
    GateResult allowlisted = run(allowed);
    assertTrue(allowlisted.passed(), allowlisted.summary());
    assertTrue(
        allowlisted
            .summary()
            .contains("allowlisted: AvoidUsingHardCodedIP (the app binds loopback on purpose"),
        allowlisted.summary());
  }

  @Test
  void aCrashingScannerFails() {
    GateResult crash =
        run(scanner("echo 'scanner: out of memory' >&2; exit 3", "out.sarif", "sarif", "error"));
    assertFalse(crash.passed());
    assertEquals(
        "s (sarif): FAILED: crashed (exit 3) without writing out.sarif; last output: scanner: out of memory",
        crash.summary());
  }

  @Test
  void aScannerThatTimesOutFails() {
    GateResult slow =
        run(
            new ScannerSpec(
                "slow",
                "sleep 30",
                "out.sarif",
                ReportFormat.SARIF,
                FailOn.ERROR,
                Duration.ofSeconds(1),
                List.of()));
    assertFalse(slow.passed());
    assertEquals("slow (sarif): FAILED: timed out after 1s", slow.summary());
  }

  @Test
  void aMalformedReportFails() {
    GateResult junk = run(scanner("echo 'not json' > r.json", "r.json", "osv", "high"));
    assertFalse(junk.passed());
    assertTrue(
        junk.summary().startsWith("s (osv): FAILED: malformed report r.json (not JSON"),
        junk.summary());
    GateResult wrongShape =
        run(scanner("echo '{\"runs\": 1}' > r.sarif", "r.sarif", "sarif", "error"));
    assertEquals(
        "s (sarif): FAILED: malformed report r.sarif (SARIF without a 'runs' array)",
        wrongShape.summary());
  }

  @Test
  void scaReportsInThePublishedFormatsAreGated() throws Exception {
    String npm =
        new String(getClass().getResourceAsStream("/reports/npm-audit-v2.json").readAllBytes());
    sha = repo.commitFile("npm-audit.json", npm, "add an npm audit report");
    GateResult sca = run(scanner("true", "npm-audit.json", "npm-audit", "critical"));
    assertFalse(sca.passed());
    assertTrue(
        sca.summary().contains("FAILED: 1 at or above critical; top: GHSA-jf85-cpcp-j695 critical"),
        sca.summary());
  }

  @Test
  void badConfigurationFailsAsBadInput() {
    for (ScannerSpec bad :
        List.of(
            scanner("true", "../../etc/passwd", "sarif", "error"),
            scanner("true", "r.json", "checkstyle", "error"),
            scanner("true", "r.json", "sarif", "severe"))) {
      ApplicationFailure failure =
          (ApplicationFailure) assertThrows(ActivityFailure.class, () -> run(bad)).getCause();
      assertEquals(FailureTypes.BAD_INPUT, failure.getType(), failure.getOriginalMessage());
    }
  }
}
