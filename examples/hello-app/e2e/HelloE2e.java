import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * hello-app's end-to-end suite, run by the release engine against staging with BASE_URL and
 * RELEASE_SHA set: java e2e/HelloE2e.java. Writes JUnit XML to e2e-results/junit.xml. Against an
 * https BASE_URL the JDK's default trust is the engine's: JAVA_TOOL_OPTIONS names the truststore of
 * the worker's RELEASE_PROXY_CA (docs/release-yaml.md), so the proxy's certificate is verified.
 */
public class HelloE2e {

  record Outcome(String name, String failure, long millis) {}

  interface Check {
    void run() throws Exception;
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String base;

  public static void main(String[] args) throws IOException {
    base = System.getenv("BASE_URL").replaceAll("/+$", "");
    String sha = System.getenv("RELEASE_SHA");
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(check("healthz_answers_ok", () -> expect(get("/healthz"), 200, "ok")));
    outcomes.add(check("version_is_the_released_sha", () -> expect(get("/version"), 200, sha)));
    outcomes.add(check("hello_greets_by_name", () -> {
      HttpResponse<String> hello = get("/hello?name=e2e");
      expect(hello, 200, "\"greeting\":\"hello");
      expect(hello, 200, "e2e");
    }));
    writeJUnit(outcomes);
    long failed = outcomes.stream().filter(o -> o.failure() != null).count();
    outcomes.forEach(o -> System.out.println((o.failure() == null ? "PASS " : "FAIL ") + o.name()
        + (o.failure() == null ? "" : ": " + o.failure())));
    System.out.println(outcomes.size() + " tests, " + failed + " failed against " + base);
    System.exit(failed == 0 ? 0 : 1);
  }

  static Outcome check(String name, Check check) {
    long start = System.nanoTime();
    String failure = null;
    try {
      check.run();
    } catch (Exception | AssertionError e) {
      failure = e.getMessage() != null ? e.getMessage() : e.toString(); // a refused connection has no message
    }
    return new Outcome(name, failure, (System.nanoTime() - start) / 1_000_000);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void expect(HttpResponse<String> response, int status, String bodyContains) {
    if (response.statusCode() != status || !response.body().contains(bodyContains)) {
      throw new AssertionError("expected " + status + " with '" + bodyContains + "', got " + response.statusCode()
          + " '" + response.body().trim() + "'");
    }
  }

  static void writeJUnit(List<Outcome> outcomes) throws IOException {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    long failures = outcomes.stream().filter(o -> o.failure() != null).count();
    xml.append("<testsuite name=\"hello-app-e2e\" tests=\"").append(outcomes.size()).append("\" failures=\"")
        .append(failures).append("\">\n");
    for (Outcome o : outcomes) {
      xml.append("  <testcase classname=\"HelloE2e\" name=\"").append(o.name()).append("\" time=\"")
          .append(o.millis() / 1000.0).append("\"");
      if (o.failure() == null) {
        xml.append("/>\n");
      } else {
        xml.append(">\n    <failure message=\"").append(escape(o.failure())).append("\"/>\n  </testcase>\n");
      }
    }
    xml.append("</testsuite>\n");
    Files.createDirectories(Path.of("e2e-results"));
    Files.writeString(Path.of("e2e-results/junit.xml"), xml);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
