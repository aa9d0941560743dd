package org.releaseengine.worker.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.releaseengine.EngineNames;
import org.releaseengine.client.TemporalUi;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.Decision;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.StageStatus;
import org.releaseengine.worker.web.EngineRecords.Run;
import org.releaseengine.worker.web.EngineRecords.WeightPoint;

/**
 * The dashboard's pages, rendered on the server: the overview (every environment, the releases in
 * flight), one release (its stages, decisions and canary), one service (its history). Plain tables
 * that work without JavaScript; a meta refresh keeps them current.
 */
final class DashboardPages {

  /** Seconds between the pages' own reloads. */
  static final int REFRESH_SECONDS = 3;

  private final EngineRecords records;
  private final TemporalUi ui;

  DashboardPages(EngineRecords records, TemporalUi ui) {
    this.records = records;
    this.ui = ui;
  }

  String overview() {
    Html page = head("Releases");
    page.raw("<h1>Releases</h1>");
    List<EnvironmentView> environments = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (Run run : records.open(EngineNames.ENVIRONMENT_PREFIX)) {
      read(() -> records.environment(run.workflowId()))
          .ifPresentOrElse(environments::add, () -> unreadable.add(run.workflowId()));
    }
    page.raw("<h2>Environments</h2>");
    environmentsTable(page, environments);
    unreadable.forEach(id -> page.raw("<p class=\"error\">cannot read ").text(id).raw("</p>"));

    page.raw("<h2>Releases in flight</h2>");
    List<ReleaseStatus> inFlight = new ArrayList<>();
    for (Run run : records.open(EngineNames.RELEASE_PREFIX)) {
      read(() -> records.release(run.workflowId())).ifPresent(inFlight::add);
    }
    if (inFlight.isEmpty()) {
      page.raw("<p id=\"no-releases\">No release is running.</p>");
    } else {
      page.raw(
          "<table id=\"releases\"><thead><tr><th>release</th><th>state</th><th>stage</th>"
              + "<th>requested by</th><th>started</th><th>approval</th><th>stages</th>"
              + "</tr></thead><tbody>");
      for (ReleaseStatus status : inFlight) {
        page.raw("<tr class=\"release\" data-release=\"").text(status.releaseId()).raw("\"><td>");
        page.link(
            "release?id=" + Html.param(status.releaseId()),
            status.service() + " " + EngineNames.shortSha(status.sha()));
        page.raw("</td>")
            .element("td class=\"state\"", status.state())
            .element("td", status.currentStage() == null ? "-" : status.currentStageLabel())
            .element("td", status.requester())
            .element("td class=\"time\"", Html.time(status.startedAtMs()))
            .raw("<td>");
        approvalNeeded(page, status);
        page.raw("</td><td>");
        stageStrip(page, status);
        page.raw("</td></tr>");
      }
      page.raw("</tbody></table>");
    }

    page.raw("<h2>Services</h2><ul>");
    new TreeSet<>(environments.stream().map(EnvironmentView::service).toList())
        .forEach(s -> page.raw("<li>").link("service?name=" + Html.param(s), s).raw("</li>"));
    page.raw("</ul>");
    return foot(page);
  }

  private void environmentsTable(Html page, List<EnvironmentView> environments) {
    if (environments.isEmpty()) {
      page.raw("<p id=\"no-environments\">Nothing has been deployed yet.</p>");
      return;
    }
    page.raw(
        "<table id=\"environments\"><thead><tr><th>service</th><th>environment</th>"
            + "<th>live sha</th><th>digest</th><th>since</th><th>by</th><th>how</th>"
            + "<th>hosts</th><th>warm slot</th></tr></thead><tbody>");
    for (EnvironmentView view : environments) {
      ShaRecord live =
          view.deployments().stream()
              .filter(r -> r.sha().equals(view.liveSha()))
              .findFirst()
              .orElse(null);
      page.raw("<tr class=\"environment\" data-service=\"")
          .text(view.service())
          .raw("\" data-environment=\"")
          .text(view.environment())
          .raw("\"><td>")
          .link("service?name=" + Html.param(view.service()), view.service())
          .raw("</td>")
          .element("td", view.environment())
          .raw("<td class=\"live-sha\" data-sha=\"")
          .text(view.liveSha() == null ? "" : view.liveSha())
          .raw("\" title=\"")
          .text(view.liveSha() == null ? "" : view.liveSha())
          .raw("\">")
          .text(view.liveSha() == null ? "-" : EngineNames.shortSha(view.liveSha()))
          .raw("</td><td class=\"digest\" title=\"")
          .text(live == null ? "" : live.digest())
          .raw("\">")
          .text(live == null ? "-" : shortDigest(live.digest()))
          .raw("</td>")
          .element("td class=\"time\"", live == null ? "-" : Html.time(live.deployedAtMs()))
          .element("td", live == null ? "-" : live.requestedBy())
          .element("td", live == null ? "-" : how(live.via(), live.requestedBy()))
          .raw("<td>");
      hosts(page, view.hosts());
      page.raw("</td>")
          .element(
              "td",
              view.warm() == null
                  ? "-"
                  : view.warm().slot().label()
                      + " slot with "
                      + EngineNames.shortSha(view.warm().image().sha())
                      + ", retires "
                      + Html.time(view.warm().retireAtMs()))
          .raw("</tr>");
    }
    page.raw("</tbody></table>");
  }

  String release(String id) {
    Html page = head(id);
    page.raw("<p><a href=\"/\">all releases</a></p><h1>").text(id).raw("</h1>");
    Optional<ReleaseStatus> read = read(() -> records.release(id));
    if (read.isEmpty()) {
      return foot(page.raw("<p class=\"error\">no release ").text(id).raw(" to read</p>"));
    }
    ReleaseStatus status = read.get();
    page.raw("<p>")
        .text(status.service() + " " + status.sha() + ", requested by " + status.requester())
        .raw(", <span class=\"state\">")
        .text(status.state())
        .raw("</span>")
        .text(status.reason() == null ? "" : ": " + status.reason())
        .raw("</p>");
    if (status.state() == ReleaseState.AWAITING_APPROVAL) {
      approvalNeeded(page, status);
    }
    records.recent(id, 1).stream()
        .findFirst()
        .flatMap(run -> ui.link(records.namespace(), run.workflowId(), run.runId()))
        .ifPresent(
            link -> page.raw("<p>").link(link, "event history in the Temporal UI").raw("</p>"));
    page.raw(
        "<h2>Stages</h2><table id=\"stages\"><thead><tr><th>stage</th><th>state</th>"
            + "<th>started</th><th>ended</th><th>took</th><th>summary</th></tr></thead><tbody>");
    for (StageStatus stage : status.stages()) {
      page.raw("<tr>")
          .element("td", stage.label())
          .element("td class=\"stage-state\"", stage.state())
          .element("td class=\"time\"", Html.time(stage.startedAtMs()))
          .element("td class=\"time\"", Html.time(stage.endedAtMs()))
          .element("td", stage.durationMs() == 0 ? "-" : seconds(stage.durationMs()))
          .element("td class=\"summary\"", stage.summary() == null ? "" : stage.summary())
          .raw("</tr>");
    }
    page.raw("</tbody></table>");
    if (status.decisions() != null && !status.decisions().isEmpty()) {
      page.raw(
          "<h2>Decisions</h2><table id=\"decisions\"><thead><tr><th>when</th><th>what</th>"
              + "<th>by</th><th>proof</th><th>comment</th></tr></thead><tbody>");
      for (Decision d : status.decisions()) {
        page.raw("<tr>")
            .element("td class=\"time\"", Html.time(d.atMs()))
            .element("td", d.kind())
            .element("td", d.by())
            .element("td", d.key() == null ? "unsigned" : d.key())
            .element("td", d.comment() == null ? "" : d.comment())
            .raw("</tr>");
      }
      page.raw("</tbody></table>");
    }
    canary(page, id, status.measurements() == null ? List.of() : status.measurements());
    return foot(page);
  }

  private void canary(Html page, String id, List<Measurement> measurements) {
    List<WeightPoint> weights = read(() -> records.weights(id)).orElse(List.of());
    if (weights.isEmpty() && measurements.isEmpty()) {
      return;
    }
    Map<String, MetricCheck> limits = read(() -> records.limits(id)).orElse(Map.of());
    CanaryChart chart = new CanaryChart(weights, measurements);
    page.raw("<h2>Canary and verification</h2>");
    if (!weights.isEmpty()) {
      page.raw("<div class=\"chart\" id=\"weight-chart\">")
          .raw(chart.weight(weights))
          .raw("</div>");
    }
    for (String check : new TreeSet<>(measurements.stream().map(Measurement::check).toList())) {
      List<Measurement> ofCheck =
          measurements.stream().filter(m -> m.check().equals(check)).toList();
      page.raw("<div class=\"chart\">").raw(chart.check(check, limits.get(check), ofCheck));
      page.raw("</div>");
    }
    page.raw(
        "<table id=\"measurements\"><thead><tr><th>when</th><th>check</th><th>value</th>"
            + "<th>limits</th><th>verdict</th></tr></thead><tbody>");
    for (Measurement m : measurements) {
      MetricCheck check = limits.get(m.check());
      page.raw("<tr>")
          .element("td class=\"time\"", Html.time(m.atMs()))
          .element("td", m.check())
          .element("td", m.value() == null ? "-" : m.value())
          .element(
              "td",
              check == null ? "?" : "[" + bound(check.min()) + ", " + bound(check.max()) + "]")
          .element("td", m.verdict())
          .raw("</tr>");
    }
    page.raw("</tbody></table>");
  }

  String service(String name) {
    Html page = head(name);
    page.raw("<p><a href=\"/\">all releases</a></p><h1>").text(name).raw("</h1>");
    for (Run run : records.open(EngineNames.environmentId(name, ""))) {
      Optional<EnvironmentView> read = read(() -> records.environment(run.workflowId()));
      if (read.isEmpty()) {
        continue;
      }
      EnvironmentView view = read.get();
      page.raw("<h2>").text(view.environment()).raw("</h2>");
      ui.link(records.namespace(), run.workflowId(), run.runId())
          .ifPresent(l -> page.raw("<p>").link(l, "event history in the Temporal UI").raw("</p>"));
      page.raw(
          "<table class=\"deployments\"><thead><tr><th>sha</th><th>digest</th><th>live since</th>"
              + "<th>by</th><th>how</th></tr></thead><tbody>");
      for (ShaRecord r : view.deployments()) {
        page.raw("<tr>")
            .element("td", r.sha() + (r.sha().equals(view.liveSha()) ? " (live)" : ""))
            .element("td", r.digest())
            .element("td class=\"time\"", Html.time(r.deployedAtMs()))
            .element("td", r.requestedBy())
            .element("td", how(r.via(), r.requestedBy()))
            .raw("</tr>");
      }
      page.raw(
          "</tbody></table><table class=\"operations\"><thead><tr><th>started</th><th>what</th>"
              + "<th>sha</th><th>state</th><th>by</th><th>why</th></tr></thead><tbody>");
      for (Operation op : view.operations()) {
        page.raw("<tr>")
            .element("td class=\"time\"", Html.time(op.startedAtMs()))
            .element("td", how(op.kind(), op.requester()))
            .element("td", EngineNames.shortSha(op.sha()))
            .element("td", op.state().name())
            .element("td", op.requester())
            .element("td", op.reason() == null ? "" : op.reason())
            .raw("</tr>");
      }
      page.raw("</tbody></table>");
    }
    page.raw(
        "<h2>Releases</h2><table id=\"service-releases\"><thead><tr><th>release</th>"
            + "<th>workflow</th><th>started</th><th>closed</th><th>history</th></tr></thead>"
            + "<tbody>");
    for (Run run : records.recent(EngineNames.releaseId(name, ""), 50)) {
      page.raw("<tr><td>")
          .link("release?id=" + Html.param(run.workflowId()), run.workflowId())
          .raw("</td>")
          .element("td", run.status())
          .element("td class=\"time\"", Html.time(run.startedAtMs()))
          .element("td class=\"time\"", Html.time(run.closedAtMs()))
          .raw("<td>");
      ui.link(records.namespace(), run.workflowId(), run.runId())
          .ifPresentOrElse(l -> page.link(l, "Temporal UI"), () -> page.raw("-"));
      page.raw("</td></tr>");
    }
    page.raw("</tbody></table>");
    return foot(page);
  }

  /** Who must still approve, and the command that does it; nothing unless the release waits. */
  private static void approvalNeeded(Html page, ReleaseStatus status) {
    if (status.state() != ReleaseState.AWAITING_APPROVAL) {
      page.raw("-");
      return;
    }
    ApprovalPolicy policy = status.approvalPolicy();
    List<String> approved = status.approvers();
    List<String> candidates =
        policy == null || policy.approvers() == null
            ? List.of()
            : policy.approvers().stream()
                .filter(a -> !approved.contains(a))
                .filter(a -> policy.allowSelfApproval() || !a.equals(status.requester()))
                .toList();
    int missing = policy == null ? 1 : Math.max(1, policy.required() - approved.size());
    page.raw("<div class=\"pending-approval\">")
        .text(
            "needs "
                + missing
                + " more approval"
                + (missing == 1 ? "" : "s")
                + (candidates.isEmpty() ? "" : " from " + String.join(", ", candidates))
                + (approved.isEmpty() ? "" : " (approved by " + String.join(", ", approved) + ")"))
        .raw("<br><code class=\"approve-command\">")
        .text("release-cli approve " + status.releaseId())
        .raw("</code></div>");
  }

  /** The stages as a row of labelled cells, coloured by state. */
  private static void stageStrip(Html page, ReleaseStatus status) {
    page.raw("<span class=\"timeline\">");
    for (StageStatus stage : status.stages()) {
      page.raw("<span class=\"stage ")
          .text(stage.state().name().toLowerCase(java.util.Locale.ROOT))
          .raw("\" title=\"")
          .text(
              stage.state()
                  + (stage.summary() == null ? "" : ": " + stage.summary())
                  + (stage.durationMs() == 0 ? "" : " (" + seconds(stage.durationMs()) + ")"))
          .raw("\">")
          .text(stage.label())
          .raw("</span> ");
    }
    page.raw("</span>");
  }

  private static void hosts(Html page, Map<String, String> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      page.raw("-");
      return;
    }
    page.raw("<ul class=\"hosts\">");
    new TreeSet<>(hosts.keySet())
        .forEach(h -> page.raw("<li>").text(h + ": " + hosts.get(h)).raw("</li>"));
    page.raw("</ul>");
  }

  /** Deploy, rollback, or a release's own automatic rollback (the engine asked for it). */
  static String how(Operation.Kind via, String requester) {
    if (via == Operation.Kind.ROLLBACK
        && requester != null
        && requester.startsWith("release-engine")) {
      return "automatic rollback";
    }
    return via == null ? "-" : via.value();
  }

  /** {@code sha256:} and the first 12 hex digits, as people compare digests by eye. */
  private static String shortDigest(String digest) {
    return digest == null ? "-" : digest.substring(0, Math.min(digest.length(), 19));
  }

  private static String bound(Double value) {
    return value == null ? "open" : String.valueOf(value);
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** A query's answer, or empty when the workflow cannot answer now (shown as unreadable). */
  private static <T> Optional<T> read(Supplier<T> query) {
    try {
      return Optional.ofNullable(query.get());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Html head(String title) {
    return new Html()
        .raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">")
        .raw("<title>")
        .text(title)
        .raw(" · release engine</title><style>")
        .raw(STYLE)
        .raw("</style></head><body>");
  }

  private static String foot(Html page) {
    return page.raw("<footer>read-only; refreshes every " + REFRESH_SECONDS + " s</footer>")
        .raw("</body></html>")
        .toString();
  }

  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;margin:1.5em;color:#1f2328}"
          + "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          + "th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}"
          + "th{background:#f6f8fa}td.live-sha,td.digest,code{font-family:monospace}"
          + "ul.hosts{margin:0;padding-left:1em}.error{color:#cf222e}td.time{white-space:nowrap}"
          + "td.summary{word-break:break-all;max-width:60em}"
          + ".stage{padding:.1em .3em;border-radius:3px;background:#eaeef2;font-size:.85em}"
          + ".stage.succeeded{background:#dafbe1}.stage.running{background:#ddf4ff}"
          + ".stage.failed{background:#ffebe9}.stage.skipped{color:#8c959f}"
          + ".pending-approval{background:#fff8c5;padding:.3em}.chart{margin:.5em 0}"
          + ".stage{display:inline-block;margin:.1em 0}code{word-break:break-all}"
          + "footer{color:#8c959f;font-size:.8em}";
}
