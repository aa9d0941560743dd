package org.releaseengine;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.releaseengine.environment.AuditActivities;
import org.releaseengine.environment.AuditEntry;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.CanaryActivities;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.HostTraffic;
import org.releaseengine.stage.MetricsActivities;
import org.releaseengine.stage.RegistryActivities;
import org.releaseengine.stage.ScanActivities;
import org.releaseengine.stage.TrafficActivities;
import org.releaseengine.stage.VerifyActivities;

/**
 * Stand-in activities for workflow tests: they record every call with real start and end times and
 * can be told to fail, to take a while (heartbeating, so cancellation reaches them), or to block.
 */
public class StandInStages
    implements BuildActivities,
        ScanActivities,
        E2eActivities,
        VerifyActivities,
        DeployActivities,
        CanaryActivities,
        RegistryActivities,
        MetricsActivities,
        AuditActivities,
        TrafficActivities {

  /** The audit entries archived (each id once, as the worker's archive keeps them). */
  public final Map<String, AuditEntry> archived =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  @Override
  public void archive(AuditEntry entry) {
    if (failing.contains("archive")) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("archive down", "Test");
    }
    archived.putIfAbsent(entry.id(), entry);
  }

  /** As the worker's archive reads back; fails when {@code failing} holds "archive-read". */
  @Override
  public Archived newestArchived(String service, String environment, int newest) {
    if (failing.contains("archive-read")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot read /var/audit/shop/production.jsonl: permission denied", "AuditIO");
    }
    List<AuditEntry> held;
    synchronized (archived) {
      held =
          archived.values().stream()
              .filter(e -> e.service().equals(service) && e.environment().equals(environment))
              .toList();
    }
    return Archived.newestOf(held, newest);
  }

  /** One call: which method, for which service/environment/sha, and when it ran. */
  public record Call(
      String what,
      String service,
      String environment,
      String sha,
      long startNanos,
      long endNanos,
      String outcome,
      String image) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final Set<String> failing = ConcurrentHashMap.newKeySet();
  public volatile Duration deployTime = Duration.ZERO;
  public volatile CountDownLatch deployStarted = new CountDownLatch(1);

  /** While set and not yet counted down, a deploy that has started waits (heartbeating). */
  public volatile CountDownLatch deployHold;

  public volatile boolean imagesExist = true;

  /** The configuration fingerprints a deploy to each environment reports (none when absent). */
  public final Map<String, ConfigPrint> configs = new ConcurrentHashMap<>();

  public static String digestOf(String sha) {
    return "sha256:" + sha.substring(0, 8).repeat(8);
  }

  @Override
  public ImageRef buildImage(BuildRequest request) {
    long start = System.nanoTime();
    if (failing.contains("build")) {
      record("build", request.service(), null, request.sha(), start, "failed");
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "docker build failed: Dockerfile line 3: unknown instruction COPYY",
          FailureTypes.BAD_INPUT,
          null,
          "Step 3/9 : COPYY src /src\nunknown instruction: COPYY");
    }
    record("build", request.service(), null, request.sha(), start, "ok");
    return new ImageRef(request.image().repository(), request.sha(), digestOf(request.sha()));
  }

  @Override
  public GateResult scan(ScanRequest request) {
    return gate("scan", request.service(), request.sha(), "2 low findings; 0 above high");
  }

  /** How long an E2E suite runs (real time, heartbeating). */
  public volatile Duration e2eTime = Duration.ZERO;

  @Override
  public GateResult runSuite(E2eRequest request) {
    long until = System.nanoTime() + e2eTime.toNanos();
    while (System.nanoTime() < until) {
      Activity.getExecutionContext().heartbeat("testing");
      sleep(50);
    }
    return gate("e2e", request.service(), request.baseUrl(), request.sha(), "3 tests, 0 failures");
  }

  @Override
  public GateResult verify(VerifyRequest request) {
    return gate(
        "verify",
        request.service(),
        request.environment(),
        request.sha(),
        request.environment() + " answers " + request.sha());
  }

  public final java.util.concurrent.atomic.AtomicInteger inspections =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * What each stand-in host serves, by {@link #hostKey}; a test may change it behind the engine.
   */
  public final Map<String, Slot> served = new ConcurrentHashMap<>();

  public static String hostKey(String service, String environment, String host) {
    return service + "/" + environment + "/" + host;
  }

  /** How long reading what the hosts serve takes, for a deploy of {@code slowInspectSha}. */
  public volatile Duration slowInspectTime = Duration.ZERO;

  public volatile String slowInspectSha;
  public volatile CountDownLatch slowInspectStarted = new CountDownLatch(1);

  @Override
  public List<HostTraffic> inspect(SlotTarget target) {
    inspections.incrementAndGet();
    if (failing.contains("inspect:" + target.environment())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "ssh to host-19080 failed: connection refused", "Unreachable");
    }
    if (target.image().sha().equals(slowInspectSha)) {
      slowInspectStarted.countDown();
      sleep(slowInspectTime.toMillis());
    }
    return target.spec().hosts().stream()
        .map(
            h -> {
              Slot slot = served.get(hostKey(target.service(), target.environment(), h.name()));
              Map<Slot, Integer> weights = new EnumMap<>(Slot.class);
              if (slot != null) {
                weights.put(slot, 100);
              }
              return new HostTraffic(h.name(), weights, null);
            })
        .toList();
  }

  private void serve(SlotTarget target) {
    target
        .spec()
        .hosts()
        .forEach(
            h ->
                served.put(
                    hostKey(target.service(), target.environment(), h.name()),
                    target.slotOn(h.name())));
  }

  @Override
  public DeployReport deploy(SlotTarget target) {
    long start = System.nanoTime();
    deployStarted.countDown();
    long until = start + deployTime.toNanos();
    try {
      while (System.nanoTime() < until || held()) {
        Activity.getExecutionContext().heartbeat("deploying");
        sleep(50);
      }
    } catch (ActivityCanceledException cancelled) {
      record("deploy", target, start, "cancelled");
      throw cancelled;
    }
    if (failing.contains("deploy-after-switch:" + target.environment())) {
      serve(target); // switched, then died before it could switch back
      record("deploy", target, start, "failed");
      throw ApplicationFailure.newNonRetryableFailure(
          "verify through nginx on host failed: nginx still answers from the old slot",
          "DeployStepFailed");
    }
    if (failing.contains("deploy:" + target.environment())) {
      record("deploy", target, start, "failed");
      throw ApplicationFailure.newNonRetryableFailure(
          "health check of the " + target.slot().label() + " slot failed 10 times", "HealthCheck");
    }
    serve(target);
    record("deploy", target, start, target.slot().label());
    return new DeployReport(List.of(), configs.get(target.environment()));
  }

  private boolean held() {
    CountDownLatch hold = deployHold;
    return hold != null && hold.getCount() > 0;
  }

  /**
   * How long a switch to a slot running {@code slowSwitchSha} takes (a canary's promotion, say); it
   * runs to the end whatever happens meanwhile, as a switch on a host does once started.
   */
  public volatile Duration slowSwitchTime = Duration.ZERO;

  public volatile String slowSwitchSha;
  public volatile CountDownLatch slowSwitchStarted = new CountDownLatch(1);

  /** Fails when {@code failing} holds "switch:<environment>" (nginx will not reload). */
  @Override
  public void switchTo(SlotTarget target) {
    long start = System.nanoTime();
    if (target.image().sha().equals(slowSwitchSha)) {
      slowSwitchStarted.countDown();
      sleep(slowSwitchTime.toMillis());
    }
    if (failing.contains("switch:" + target.environment())) {
      record("switch", target, System.nanoTime(), "failed");
      throw ApplicationFailure.newNonRetryableFailure(
          "nginx -t failed on host-19080: upstream include unreadable", "NginxReload");
    }
    serve(target);
    record("switch", target, start, target.slot().label());
  }

  /** Fails when {@code failing} holds "retire:<environment>" (the host is unreachable). */
  @Override
  public void retire(SlotTarget target) {
    if (failing.contains("retire:" + target.environment())) {
      record("retire", target, System.nanoTime(), "failed");
      throw ApplicationFailure.newNonRetryableFailure(
          "ssh to host-18080 failed: connection refused", "Unreachable");
    }
    record("retire", target, System.nanoTime(), target.slot().label());
  }

  @Override
  public ConfigPrint startCanary(SlotTarget canary) {
    record("canary", canary, System.nanoTime(), canary.slot().label());
    return configs.get(canary.environment());
  }

  /** Recorded as "weight" with the percent as its outcome. */
  @Override
  public void setCanaryWeight(SlotTarget canary, int percent) {
    record("weight", canary, System.nanoTime(), String.valueOf(percent));
  }

  /** Values the metric queries return, in order (null: no data); the last one repeats. */
  private final List<Double> metricValues = new CopyOnWriteArrayList<>();

  private final java.util.concurrent.atomic.AtomicInteger measured =
      new java.util.concurrent.atomic.AtomicInteger();
  public final List<String> queries = new CopyOnWriteArrayList<>();

  /** The values the next measurements return, from the first. */
  public void scriptMetrics(List<Double> values) {
    metricValues.clear();
    metricValues.addAll(values);
    measured.set(0);
  }

  /** Prometheus as the next measurements find it: answering (null), UNREACHABLE or REJECTS. */
  public volatile String prometheus;

  public static final String UNREACHABLE = "unreachable";
  public static final String REJECTS = "rejects";

  @Override
  public Double measure(String prometheusUrl, String query) {
    queries.add(query);
    if (UNREACHABLE.equals(prometheus)) {
      throw ApplicationFailure.newFailure(
          "connect to " + prometheusUrl + " refused", "IOException");
    }
    if (REJECTS.equals(prometheus)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Prometheus rejected the query: parse error at char 7", FailureTypes.BAD_INPUT);
    }
    int i = measured.getAndIncrement();
    return metricValues.isEmpty() ? null : metricValues.get(Math.min(i, metricValues.size() - 1));
  }

  /** The verification loads asked for, in order. */
  public final List<TrafficRequest> traffic = new CopyOnWriteArrayList<>();

  /** Every request of the load answers; one in {@code failedEvery} fails (0: none). */
  public volatile int failedEvery;

  @Override
  public TrafficCount sendTraffic(TrafficRequest request) {
    traffic.add(request);
    long sent = request.traffic().planned();
    return new TrafficCount(sent, failedEvery == 0 ? 0 : sent / failedEvery, null);
  }

  @Override
  public boolean imageExists(ImageRef image) {
    return imagesExist;
  }

  public List<Call> calls(String what) {
    return calls.stream().filter(c -> c.what().equals(what)).toList();
  }

  private GateResult gate(String what, String service, String sha, String summary) {
    return gate(what, service, null, sha, summary);
  }

  /**
   * A gate's verdict: it fails when {@code failing} holds {@code what} or "what:where"; {@code
   * where} is recorded as the call's environment (an E2E suite's: the URL it ran against).
   */
  private GateResult gate(String what, String service, String where, String sha, String summary) {
    long start = System.nanoTime();
    boolean pass = !failing.contains(what) && !failing.contains(what + ":" + where);
    record(what, service, where, sha, start, pass ? "passed" : "failed");
    return new GateResult(
        pass, pass ? summary : what + " failed: 1 critical finding (CVE-2024-0001)");
  }

  private void record(
      String what, String service, String env, String sha, long start, String outcome) {
    calls.add(new Call(what, service, env, sha, start, System.nanoTime(), outcome, null));
  }

  private void record(String what, SlotTarget target, long start, String outcome) {
    calls.add(
        new Call(
            what,
            target.service(),
            target.environment(),
            target.image().sha(),
            start,
            System.nanoTime(),
            outcome,
            target.image().pinned()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
