package org.releaseengine.scan;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.docker.SealedRunner.Reach;
import org.releaseengine.docker.SealedRunner.SealedCommand;
import org.releaseengine.git.CheckoutCommands;
import org.releaseengine.git.GitCheckout;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.Severity;
import org.releaseengine.process.OutputLines;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.ScanActivities;

/**
 * Runs each configured scanner in the source at the release's sha, sealed in a container of its
 * runner image ({@link SealedRunner}), reads the report it writes and gates on it. A scanner that
 * crashes, times out or writes a malformed or no report fails the gate with the reason; it never
 * counts as a pass.
 */
public class ScanRunner implements ScanActivities {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SealedRunner sealed;

  public ScanRunner(SealedRunner sealed) {
    this.sealed = sealed;
  }

  @Override
  public GateResult scan(ScanRequest request) {
    try (GitCheckout source = CheckoutCommands.checkout(request.source().git(), request.sha())) {
      List<String> summaries = new ArrayList<>();
      boolean passed = true;
      for (ScannerSpec scanner : request.scanners()) {
        GateResult result = runOne(scanner, source.root(), request.sha());
        summaries.add(sealed.redact(result.summary()));
        passed &= result.passed();
      }
      return new GateResult(passed, String.join(" | ", summaries));
    }
  }

  private GateResult runOne(ScannerSpec scanner, Path root, String sha) {
    Path report = CheckoutCommands.inside(root, scanner.report(), "report");
    if (scanner.failOn() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "scanner " + scanner.name() + ": no failOn", FailureTypes.BAD_INPUT);
    }
    ReportParser parser = parser(scanner);
    ActivityExecutionContext activity = Activity.getExecutionContext();
    activity.heartbeat("scanning with " + scanner.name());
    String name = scanner.name() + " (" + scanner.format() + ")";
    SealedRunner.Result run;
    try {
      run =
          sealed.run(
              command(scanner, root, sha),
              () -> activity.heartbeat("scanning with " + scanner.name()));
    } catch (SealedRunner.Refused e) {
      return new GateResult(false, name + ": FAILED: not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
    if (run.timedOut()) {
      return new GateResult(
          false, name + ": FAILED: timed out after " + scanner.timeout().toSeconds() + "s");
    }
    if (!Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)
        || !CheckoutCommands.realInside(root, report)) {
      return new GateResult(
          false,
          name
              + ": FAILED: crashed (exit "
              + run.exitCode()
              + ") without writing "
              + scanner.report()
              + "; last output: "
              + lastLine(run.tail()));
    }
    return judge(scanner, name, parser, root, report);
  }

  private static ReportParser parser(ScannerSpec scanner) {
    try {
      return ReportParser.forFormat(scanner.format());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "scanner " + scanner.name() + ": " + e.getMessage(), FailureTypes.BAD_INPUT);
    }
  }

  /** The scanner's command in the checkout at {@code root}, with RELEASE_SHA, on its network. */
  private static SealedCommand command(ScannerSpec scanner, Path root, String sha) {
    Map<String, String> env = new LinkedHashMap<>();
    if (scanner.env() != null) {
      env.putAll(scanner.env());
    }
    env.put("RELEASE_SHA", sha);
    return new SealedCommand(
        scanner.runner(),
        scanner.command(),
        root,
        env,
        scanner.network() == GateNetwork.OUTBOUND ? Reach.outbound() : Reach.none(),
        scanner.timeout());
  }

  /** Gates on the report the scanner wrote; a report that does not read fails the gate. */
  private static GateResult judge(
      ScannerSpec scanner, String name, ReportParser parser, Path root, Path report) {
    Severity failOn = scanner.failOn().severity();
    try {
      List<Finding> findings =
          parser.parse(JSON.readTree(Files.readString(report))).stream()
              .map(f -> relativeTo(root, f))
              .toList();
      Gate.Verdict verdict =
          new Gate(failOn, scanner.allowlist(), LocalDate.now(ZoneOffset.UTC)).judge(findings);
      return new GateResult(
          verdict.passed(), Gate.summary(name, scanner.failOn().value(), verdict));
    } catch (JacksonException e) {
      return new GateResult(
          false,
          name
              + ": FAILED: malformed report "
              + scanner.report()
              + " (not JSON: "
              + e.getOriginalMessage()
              + ")");
    } catch (MalformedReport e) {
      return new GateResult(
          false,
          name + ": FAILED: malformed report " + scanner.report() + " (" + e.getMessage() + ")");
    } catch (IOException e) {
      return new GateResult(
          false, name + ": FAILED: cannot read " + scanner.report() + ": " + e.getMessage());
    }
  }

  /** Scanners often report absolute file URIs; people want paths in the repository. */
  private static Finding relativeTo(Path root, Finding finding) {
    String location =
        finding
            .location()
            .replace("file://" + SealedRunner.WORKSPACE + "/", "")
            .replace(SealedRunner.WORKSPACE + "/", "")
            .replace(root.toUri().toString(), "")
            .replace(root + "/", "");
    return new Finding(
        finding.id(), finding.aliases(), finding.severity(), location, finding.message());
  }

  private static String lastLine(String text) {
    return OutputLines.last(text).orElse("(none)");
  }
}
