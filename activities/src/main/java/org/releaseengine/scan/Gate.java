package org.releaseengine.scan;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.Severity;

/**
 * Applies a scanner's threshold and allowlist to its findings. An allowlist entry suppresses the
 * findings with its id until its expiry date; once expired it suppresses nothing and is reported.
 */
public final class Gate {

  private static final int TOP = 5;

  /** What a scanner's gate decided, and the numbers behind it. */
  public record Verdict(
      boolean passed,
      Map<Severity, Integer> counts,
      List<Finding> blocking,
      List<Finding> top,
      List<String> allowlistUsed,
      List<String> allowlistExpired) {}

  private final Severity failOn;
  private final List<AllowlistEntry> allowlist;
  private final LocalDate today;

  public Gate(Severity failOn, List<AllowlistEntry> allowlist, LocalDate today) {
    this.failOn = failOn;
    this.allowlist = allowlist == null ? List.of() : allowlist;
    this.today = today;
  }

  public Verdict judge(List<Finding> findings) {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    List<Finding> blocking = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    Set<String> expired = new LinkedHashSet<>();
    for (Finding finding : findings) {
      counts.merge(finding.severity(), 1, Integer::sum);
      AllowlistEntry entry =
          allowlist.stream().filter(e -> finding.matches(e.id())).findFirst().orElse(null);
      if (entry != null && !LocalDate.parse(entry.expires()).isBefore(today)) {
        used.add(entry.id() + " (" + entry.reason() + ", until " + entry.expires() + ")");
        continue;
      }
      if (entry != null) {
        expired.add(entry.id() + " expired on " + entry.expires() + " and no longer suppresses");
      }
      if (finding.severity().compareTo(failOn) >= 0) {
        blocking.add(finding);
      }
    }
    List<Finding> top =
        findings.stream()
            .sorted(Comparator.comparing(Finding::severity).reversed())
            .limit(TOP)
            .toList();
    return new Verdict(
        blocking.isEmpty(), counts, blocking, top, List.copyOf(used), List.copyOf(expired));
  }

  /** One paragraph for the status and for notifications. */
  public static String summary(String scanner, String failOn, Verdict verdict) {
    StringBuilder out = new StringBuilder(scanner).append(": ");
    List<Severity> order =
        List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO);
    out.append(
        order.stream()
            .map(s -> verdict.counts().getOrDefault(s, 0) + " " + s.label())
            .collect(Collectors.joining(", ")));
    out.append(
        verdict.passed()
            ? "; passed (fails on " + failOn + ")"
            : "; FAILED: " + verdict.blocking().size() + " at or above " + failOn);
    List<Finding> shown =
        verdict.passed() ? verdict.top() : verdict.blocking().stream().limit(TOP).toList();
    if (!shown.isEmpty()) {
      out.append("; top: ")
          .append(
              shown.stream()
                  .map(
                      f ->
                          f.id()
                              + " "
                              + f.severity().label()
                              + (f.location().isEmpty() ? "" : " at " + f.location()))
                  .collect(Collectors.joining(", ")));
    }
    if (!verdict.allowlistUsed().isEmpty()) {
      out.append("; allowlisted: ").append(String.join(", ", verdict.allowlistUsed()));
    }
    if (!verdict.allowlistExpired().isEmpty()) {
      out.append("; ").append(String.join(", ", verdict.allowlistExpired()));
    }
    return out.toString();
  }
}
