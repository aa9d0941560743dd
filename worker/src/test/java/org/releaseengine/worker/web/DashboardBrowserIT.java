package org.releaseengine.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.releaseengine.EngineNames;
import org.releaseengine.ServerUnderTest;
import org.releaseengine.Specs;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInPolicy;
import org.releaseengine.StandInStages;
import org.releaseengine.client.TemporalConnection;
import org.releaseengine.model.Approval;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.worker.DevServer;
import org.releaseengine.worker.EngineWorker;

/**
 * The dashboard in a real browser (Debian's chromium, driven by chromedriver over WebDriver)
 * against a running release on a Temporal server (the real one under scripts/test.sh) with the
 * stand-in stages: a row per environment with its live sha, a pending approval that appears and
 * goes away by itself once approved, a canary's weight chart, and escaped text throughout.
 */
class DashboardBrowserIT {

  private static final String SERVICE = "shop";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static AutoCloseable server;
  private static EngineWorker worker;
  private static Dashboard dashboard;
  private static WebDriver browser;
  private static final StandInStages stages = new StandInStages();
  private static final WorkerMetrics metrics = new WorkerMetrics(Duration.ofMillis(200));

  @BeforeAll
  static void start() throws IOException {
    String address;
    if (ServerUnderTest.real()) {
      ServerUnderTest real = ServerUnderTest.start();
      server = real;
      address = real.address();
    } else {
      DevServer embedded = DevServer.start(freePort());
      server = embedded;
      address = embedded.address();
    }
    worker =
        EngineWorker.start(
            TemporalConnection.plaintext(address),
            "default",
            metrics.temporalScope(),
            stages,
            new StandInNotifier(),
            new StandInPolicy());
    dashboard =
        new Dashboard(
            new InetSocketAddress("127.0.0.1", 0),
            worker.client(),
            "127.0.0.1:8233",
            metrics::scrape);
    // Selenium Manager cannot reach the network: the driver and browser are named explicitly
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800");
    browser = new ChromeDriver(options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
    metrics.close();
  }

  @Test
  void showsEnvironmentsAndAPendingApprovalThatGoesAwayWhenApproved() throws Exception {
    MetricCheck errorRate =
        new MetricCheck(
            "error-rate",
            "errors{slot=\"$slot\"}",
            null,
            0.05,
            Duration.ofSeconds(1),
            3,
            0,
            MetricCheck.NoData.IGNORE);
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate,
            CanaryStep.setWeight(10),
            CanaryStep.pause(Duration.ofSeconds(2)),
            CanaryStep.analysis(List.of()),
            CanaryStep.setWeight(50),
            CanaryStep.pause(Duration.ofSeconds(2)));
    stages.scriptMetrics(List.of(0.01, 0.02, 0.015));

    ReleaseWorkflow first = start(spec, Specs.SHA_1);
    browser.get(dashboard.url());

    // staging is live with the sha, and the release waits for an approval the page names
    until(b -> liveSha(b, "staging").equals(Specs.SHA_1));
    String releaseId = EngineNames.releaseId(SERVICE, Specs.SHA_1);
    String pending = read(b -> b.findElement(approvalOf(releaseId)).getText());
    assertTrue(pending.contains("release-cli approve " + releaseId), pending);
    // alice asked for it and may not approve her own release
    assertTrue(pending.contains("needs 1 more approval from bob, carol"), pending);
    screenshot("dashboard-pending.png");

    first.approve(new Approval("bob", "<script>document.title='owned'</script> ok"));
    // the page reloads itself: the approval goes away and production shows the sha
    until(
        b ->
            b.findElements(approvalOf(releaseId)).isEmpty()
                && liveSha(b, "production").equals(Specs.SHA_1));
    assertEquals(
        Integer.valueOf(2),
        read(
            b ->
                b.findElements(
                        By.cssSelector(
                            "#environments tr.environment[data-service='" + SERVICE + "']"))
                    .size()));
    assertEquals(
        ReleaseState.SUCCEEDED,
        worker.client().newUntypedWorkflowStub(releaseId).getResult(ReleaseStatus.class).state());

    // a second release goes through the canary; its page charts the weights and measurements
    ReleaseWorkflow second = start(spec, Specs.SHA_2);
    until(b -> !b.findElements(approvalOf(EngineNames.releaseId(SERVICE, Specs.SHA_2))).isEmpty());
    second.approve(new Approval("carol", null));
    until(b -> liveSha(b, "production").equals(Specs.SHA_2));
    browser.get(dashboard.url() + "release?id=" + EngineNames.releaseId(SERVICE, Specs.SHA_2));
    until(
        b ->
            !b.findElements(By.cssSelector("#weight-chart svg path.weight")).isEmpty()
                && !b.findElements(By.cssSelector("#measurements tbody tr")).isEmpty()
                && !b.findElements(By.cssSelector("line.limit")).isEmpty());
    screenshot("dashboard-canary.png");

    // the first release's comment is shown as text, never run
    browser.get(dashboard.url() + "release?id=" + releaseId);
    String decisions = read(b -> b.findElement(By.id("decisions")).getText());
    assertTrue(decisions.contains("<script>document.title='owned'</script> ok"), decisions);
    assertFalse(browser.getTitle().contains("owned"), browser.getTitle());
    screenshot("dashboard-release.png");

    // the service's page: both environments' histories and its releases, linked to the Temporal UI
    browser.get(dashboard.url() + "service?name=" + SERVICE);
    assertEquals(
        Integer.valueOf(2), read(b -> b.findElements(By.cssSelector("table.deployments")).size()));
    String releases = read(b -> b.findElement(By.id("service-releases")).getText());
    assertEquals(3, releases.lines().count(), releases);
    String link =
        read(
            b ->
                b.findElement(
                        By.cssSelector(
                            "#service-releases a[href*='"
                                + Specs.SHA_1
                                + "/']:not([href^='release'])"))
                    .getAttribute("href"));
    assertTrue(
        link.startsWith(
            "http://127.0.0.1:8233/namespaces/default/workflows/release%2Fshop%2F" + Specs.SHA_1),
        link);
  }

  /** Waits until {@code condition} holds on the page, which reloads itself meanwhile. */
  private static void until(Function<WebDriver, Boolean> condition) {
    waiting().until(condition);
  }

  /**
   * What {@code reading} finds on the page. The page reloads itself every few seconds, so a read
   * that meets the old document as it goes is taken again on the new one.
   */
  private static <T> T read(Function<WebDriver, T> reading) {
    return waiting().until(reading);
  }

  private static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    wait.ignoring(WebDriverException.class);
    return wait;
  }

  @Test
  void servesTheTemporalSdksMetricsInPrometheusFormat() throws Exception {
    // any workflow task the worker handled: a release that waits for its approval is enough
    start(Specs.spec("metered"), Specs.SHA_3);
    HttpClient http = HttpClient.newHttpClient();
    String series = "";
    for (int i = 0; i < 100 && !series.contains("temporal_workflow_task_queue_poll_succeed"); i++) {
      HttpResponse<String> scraped =
          http.send(
              HttpRequest.newBuilder(URI.create(dashboard.url() + "metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scraped.statusCode());
      assertTrue(
          scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          scraped.headers().toString());
      series = scraped.body();
      Thread.sleep(200);
    }
    String polls =
        series
            .lines()
            .filter(l -> l.startsWith("temporal_workflow_task_queue_poll_succeed_total{"))
            .findFirst()
            .orElse(series);
    assertTrue(polls.contains("namespace=\"default\""), polls);
    assertTrue(polls.contains("task_queue=\"" + EngineNames.TASK_QUEUE + "\""), polls);
  }

  private static ReleaseWorkflow start(ReleaseSpec spec, String sha) {
    ReleaseWorkflow release =
        worker
            .client()
            .newWorkflowStub(
                ReleaseWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(EngineNames.releaseId(spec.service(), sha))
                    .setTaskQueue(EngineNames.TASK_QUEUE)
                    .build());
    WorkflowClient.start(release::run, Specs.request(spec, sha, "alice"));
    return release;
  }

  /** The live sha of the environment's row, or "" while there is none. */
  private static String liveSha(WebDriver browser, String environment) {
    List<WebElement> cells =
        browser.findElements(
            By.cssSelector(
                "tr.environment[data-service='"
                    + SERVICE
                    + "'][data-environment='"
                    + environment
                    + "'] td.live-sha"));
    return cells.isEmpty() ? "" : cells.get(0).getAttribute("data-sha");
  }

  private static By approvalOf(String releaseId) {
    return By.cssSelector("tr.release[data-release='" + releaseId + "'] .pending-approval");
  }

  private static void screenshot(String name) throws IOException {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Path taken = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(taken, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
