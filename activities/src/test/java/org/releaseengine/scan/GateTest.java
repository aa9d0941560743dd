package org.releaseengine.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.Severity;

class GateTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
  private final List<Finding> findings = new OsvParser().parse(Reports.load("osv-scanner.json"));

  GateTest() throws MalformedReport {}

  @Test
  void failsOnFindingsAtOrAboveTheThreshold() {
    Gate.Verdict high = new Gate(Severity.HIGH, List.of(), TODAY).judge(findings);
    assertFalse(high.passed());
    assertEquals(2, high.blocking().size());
    Gate.Verdict critical = new Gate(Severity.CRITICAL, List.of(), TODAY).judge(findings);
    assertTrue(critical.passed());
    assertEquals(2, critical.counts().get(Severity.HIGH));
    assertEquals(1, critical.counts().get(Severity.MEDIUM));
  }

  @Test
  void allowlistSuppressesUntilItsExpiry() {
    List<AllowlistEntry> allowlist =
        List.of(
            new AllowlistEntry("CVE-2021-23337", "not reachable from our code", "2026-12-31"),
            new AllowlistEntry("GO-2023-1988", "fix scheduled", "2026-11-25"));
    Gate.Verdict verdict = new Gate(Severity.HIGH, allowlist, TODAY).judge(findings);

    assertFalse(verdict.passed(), "the expired entry suppresses nothing");
    assertEquals(List.of("GO-2023-1988"), verdict.blocking().stream().map(Finding::id).toList());
    assertEquals(
        List.of("CVE-2021-23337 (not reachable from our code, until 2026-12-31)"),
        verdict.allowlistUsed());
    assertEquals(
        List.of("GO-2023-1988 expired on 2026-11-25 and no longer suppresses"),
        verdict.allowlistExpired());
    String summary = Gate.summary("osv (osv)", "high", verdict);
    assertTrue(
        summary.startsWith(
            "osv (osv): 0 critical, 2 high, 1 medium, 0 low, 0 info; FAILED: 1 at or above high"),
        summary);
    assertTrue(summary.contains("GO-2023-1988 expired on 2026-11-25"), summary);
  }

  @Test
  void anEntryIsValidThroughItsExpiryDay() {
    List<AllowlistEntry> allowlist =
        List.of(
            new AllowlistEntry("GHSA-35jh-r3h4-6jhm", "mitigated", "2026-11-26"),
            new AllowlistEntry("GO-2023-1988", "mitigated", "2026-11-26"));
    assertTrue(new Gate(Severity.HIGH, allowlist, TODAY).judge(findings).passed());
  }

  @Test
  void levelsAndSeveritiesShareOneScale() {
    assertEquals(Severity.HIGH, Severity.parse("error"));
    assertEquals(Severity.MEDIUM, Severity.parse("warning"));
    assertEquals(Severity.MEDIUM, Severity.parse("moderate"));
    assertEquals(Severity.LOW, Severity.parse("note"));
    assertEquals(Severity.CRITICAL, Severity.fromScore(9.0));
    assertEquals(Severity.HIGH, Severity.fromScore(8.9));
    assertEquals(Severity.LOW, Severity.fromScore(0.1));
  }
}
