package org.releaseengine.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.model.Severity;

class ReportParsersTest {

  private static String describe(Finding f) {
    return f.id() + " " + f.severity().label() + (f.location().isEmpty() ? "" : " " + f.location());
  }

  @Test
  void pmdSarifAsPmdWritesIt() throws Exception {
    List<Finding> findings = new SarifParser().parse(Reports.load("pmd-7.sarif"));
    assertEquals(2, findings.size());
    assertEquals("AvoidUsingHardCodedIP", findings.get(0).id());
    assertEquals(Severity.MEDIUM, findings.get(0).severity());
    assertTrue(
        findings.get(0).location().endsWith("src/hello/HelloApp.java:36"),
        findings.get(0).location());
  }

  @Test
  void sarifWithSeveralRunsRulesByIndexExtensionsAndMissingFields() throws Exception {
    List<String> found =
        new SarifParser()
            .parse(Reports.load("multi-run.sarif")).stream()
                .map(ReportParsersTest::describe)
                .toList();
    assertEquals(
        List.of(
            "java/sql-injection critical src/Db.java:42", // security-severity 9.8 from the rule
            "java/weak-cryptographic-algorithm high src/Hash.java", // rule found by index only, 7.5
            "java/path-injection medium", // rule in an extension, 5.3
            "java/unused-local low", // the rule's default level: note
            "python.lang.eval high", // level error
            "generic.secrets.token medium config.env:3"), // no level anywhere: SARIF's default
        // warning
        found,
        "suppressed results and kind=pass are not findings");
  }

  @Test
  void npmAuditV2() throws Exception {
    List<String> found =
        new NpmAuditParser()
            .parse(Reports.load("npm-audit-v2.json")).stream()
                .map(ReportParsersTest::describe)
                .toList();
    assertEquals(
        List.of(
            "GHSA-jf85-cpcp-j695 critical lodash <=4.17.20",
            "express-utils medium express-utils 1.0.0 - 2.1.0",
            "GHSA-xvch-5gv4-984h low minimist <0.2.4"),
        found);
    Finding lodash = new NpmAuditParser().parse(Reports.load("npm-audit-v2.json")).get(0);
    assertTrue(lodash.matches("GHSA-35jh-r3h4-6jhm"), "later advisories of a package are aliases");
  }

  @Test
  void osvScannerJson() throws Exception {
    List<Finding> findings = new OsvParser().parse(Reports.load("osv-scanner.json"));
    assertEquals(
        List.of("GHSA-35jh-r3h4-6jhm high", "GHSA-29mw-wpgm-hmr9 medium", "GO-2023-1988 high"),
        findings.stream().map(f -> f.id() + " " + f.severity().label()).toList(),
        "group score first, then the database's word, else high (fail closed)");
    assertTrue(findings.get(0).matches("CVE-2021-23337"));
    assertEquals("lodash@4.17.20 (/src/package-lock.json)", findings.get(0).location());
  }

  @Test
  void malformedReportsAreRejected() {
    assertThrows(
        MalformedReport.class, () -> new SarifParser().parse(Reports.json("{\"runs\": 3}")));
    assertThrows(
        MalformedReport.class,
        () -> new SarifParser().parse(Reports.json("{\"version\": \"2.1.0\"}")));
    assertThrows(
        MalformedReport.class,
        () ->
            new SarifParser()
                .parse(
                    Reports.json(
                        "{\"runs\": [{\"results\": [{\"ruleId\": \"x\", \"level\": \"fatal\"}]}]}")));
    assertThrows(
        MalformedReport.class,
        () -> new NpmAuditParser().parse(Reports.json("{\"advisories\": {}, \"metadata\": {}}")),
        "npm audit v1 is not v2");
    assertThrows(
        MalformedReport.class, () -> new OsvParser().parse(Reports.json("{\"packages\": []}")));
    assertThrows(IllegalArgumentException.class, () -> ReportParser.forFormat(null));
  }
}
