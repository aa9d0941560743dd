package org.releaseengine.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.releaseengine.git.GitCheckout;
import org.releaseengine.model.GateResult;
import org.releaseengine.process.CheckoutCommands;
import org.releaseengine.process.Commands.Result;
import org.releaseengine.process.OutputLines;
import org.releaseengine.stage.E2eActivities;

/**
 * Runs the service's E2E suite from its source at the release's sha against an environment:
 * BASE_URL is the environment's public URL and RELEASE_SHA the sha that should be live there. It
 * passes when the command exits 0 and its JUnit XML (if configured) records no failure.
 */
public class E2eRunner implements E2eActivities {

  @Override
  public GateResult runSuite(E2eRequest request) {
    try (GitCheckout source = CheckoutCommands.checkout(request.source().git(), request.sha())) {
      Path root = source.root();
      Path reports =
          request.e2e().junitReports() == null
              ? null
              : CheckoutCommands.inside(root, request.e2e().junitReports(), "junitReports");
      Result run =
          CheckoutCommands.run(
              root,
              request.e2e().command(),
              request.e2e().timeout(),
              Map.of("BASE_URL", request.baseUrl(), "RELEASE_SHA", request.sha()));
      String tail = lastLines(run.tail(), 3);
      if (run.timedOut()) {
        return new GateResult(
            false,
            "E2E timed out after "
                + request.e2e().timeout().toSeconds()
                + "s; last output: "
                + tail);
      }
      JUnitResults results = reports == null ? null : readOrNull(reports);
      String counts =
          results == null
              ? ""
              : results.tests()
                  + " tests, "
                  + results.failures()
                  + " failed"
                  + (results.skipped() > 0 ? ", " + results.skipped() + " skipped" : "");
      boolean failedTests = results != null && results.failures() > 0;
      if (run.exitCode() == 0 && !failedTests) {
        return new GateResult(
            true,
            "E2E passed against " + request.baseUrl() + (counts.isEmpty() ? "" : ": " + counts));
      }
      return new GateResult(
          false,
          "E2E failed against "
              + request.baseUrl()
              + " (exit "
              + run.exitCode()
              + ")"
              + (counts.isEmpty() ? "" : ": " + counts)
              + (failedTests ? "; failing: " + String.join(", ", results.failing()) : "")
              + "; last output: "
              + tail);
    }
  }

  private static JUnitResults readOrNull(Path reports) {
    try {
      return JUnitResults.read(reports);
    } catch (IOException e) {
      return null;
    }
  }

  private static String lastLines(String text, int n) {
    return String.join(" / ", OutputLines.last(text, n));
  }
}
