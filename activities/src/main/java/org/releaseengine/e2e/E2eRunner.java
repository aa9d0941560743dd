package org.releaseengine.e2e;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.docker.SealedRunner.Reach;
import org.releaseengine.docker.SealedRunner.SealedCommand;
import org.releaseengine.git.CheckoutCommands;
import org.releaseengine.git.GitCheckout;
import org.releaseengine.model.GateResult;
import org.releaseengine.process.OutputLines;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.tls.ContainerCa;

/**
 * Runs the service's E2E suite from its source at the release's sha against an environment, sealed
 * in a container of its runner image ({@link SealedRunner}) that reaches the environment's URL and
 * nothing else: BASE_URL is that URL as the container reaches it and RELEASE_SHA the sha that
 * should be live there. Against an https URL it also gets what the worker trusts for the
 * environments' URLs ({@link ContainerCa}, from RELEASE_PROXY_CA), so the suite can verify the
 * proxy's certificate. It passes when the command exits 0 and its JUnit XML (if configured) records
 * no failure.
 */
public class E2eRunner implements E2eActivities {

  /** Failing test names named in a summary; the rest are counted. */
  static final int FAILING_NAMED = 10;

  private final SealedRunner sealed;
  private final ContainerCa proxyCa;

  public E2eRunner(SealedRunner sealed) {
    this(sealed, null);
  }

  /** {@code proxyCa}: the worker's RELEASE_PROXY_CA for the container, or null (none set). */
  public E2eRunner(SealedRunner sealed, ContainerCa proxyCa) {
    this.sealed = sealed;
    this.proxyCa = proxyCa;
  }

  @Override
  public GateResult runSuite(E2eRequest request) {
    GateResult result = run(request);
    return new GateResult(result.passed(), sealed.redact(result.summary()));
  }

  private GateResult run(E2eRequest request) {
    try (GitCheckout source = CheckoutCommands.checkout(request.source().git(), request.sha())) {
      Path root = source.root();
      Path reports =
          request.e2e().junitReports() == null
              ? null
              : CheckoutCommands.inside(root, request.e2e().junitReports(), "junitReports");
      boolean https = request.baseUrl().startsWith("https:");
      SealedCommand command = command(request, root, https);
      ActivityExecutionContext activity = Activity.getExecutionContext();
      SealedRunner.Result run;
      try {
        run = sealed.run(command, () -> activity.heartbeat("E2E against " + request.baseUrl()));
      } catch (SealedRunner.Refused e) {
        return new GateResult(
            false, "E2E not run against " + request.baseUrl() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure("interrupted", "Interrupted");
      }
      return outcome(request, run, root, reports, https);
    }
  }

  /**
   * The suite's command in the checkout at {@code root}, reaching the environment's URL only, with
   * release.yaml's variables, RELEASE_SHA and, against https, the worker's CA for the proxy.
   */
  private SealedCommand command(E2eRequest request, Path root, boolean https) {
    Map<String, String> declared = request.e2e().env() == null ? Map.of() : request.e2e().env();
    Map<String, String> env = new LinkedHashMap<>(declared);
    Map<String, Path> readOnly = Map.of();
    if (https && proxyCa != null) {
      env.putAll(proxyCa.env(declared));
      readOnly = Map.of(ContainerCa.MOUNT, proxyCa.dir());
    }
    env.put("RELEASE_SHA", request.sha());
    return new SealedCommand(
        request.e2e().runner(),
        request.e2e().command(),
        root,
        env,
        Reach.url(request.baseUrl()),
        request.e2e().timeout(),
        readOnly);
  }

  /**
   * What a run that ended says: timed out, passed, or failed (with the failing tests of its JUnit
   * XML, read from the checkout at {@code root} while it is still there).
   */
  private GateResult outcome(
      E2eRequest request, SealedRunner.Result run, Path root, Path reports, boolean https) {
    String tail = lastLines(run.tail(), 3);
    if (run.timedOut()) {
      return new GateResult(
          false,
          "E2E timed out after " + request.e2e().timeout().toSeconds() + "s; last output: " + tail);
    }
    JUnitResults results =
        reports == null || !CheckoutCommands.realInside(root, reports) ? null : readOrNull(reports);
    String counts = counts(results);
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
            + (failedTests ? "; failing: " + failing(results.failing()) : "")
            + "; last output: "
            + tail
            + (https && proxyCa == null
                ? " (the worker has no RELEASE_PROXY_CA: the suite trusted only its image's"
                    + " authorities)"
                : ""));
  }

  /** "N tests, M failed[, K skipped]", or empty without JUnit results. */
  private static String counts(JUnitResults results) {
    return results == null
        ? ""
        : results.tests()
            + " tests, "
            + results.failures()
            + " failed"
            + (results.skipped() > 0 ? ", " + results.skipped() + " skipped" : "");
  }

  private static JUnitResults readOrNull(Path reports) {
    try {
      return JUnitResults.read(reports);
    } catch (IOException e) {
      return null;
    }
  }

  private static String failing(List<String> names) {
    return String.join(", ", names.subList(0, Math.min(FAILING_NAMED, names.size())))
        + (names.size() > FAILING_NAMED ? " and " + (names.size() - FAILING_NAMED) + " more" : "");
  }

  private static String lastLines(String text, int n) {
    return String.join(" / ", OutputLines.last(text, n));
  }
}
