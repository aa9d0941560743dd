import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * static-site's smoke suite, run by the release engine after each deploy that names it (dev,
 * staging) in the runner image, with BASE_URL (the environment's url as the container reaches it)
 * and RELEASE_SHA set: java e2e/SiteE2e.java. Writes JUnit XML to e2e-results/junit.xml.
 */
public class SiteE2e {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    String base = System.getenv("BASE_URL").replaceAll("/+$", "");
    String sha = System.getenv("RELEASE_SHA");
    Map<String, String> failures = new LinkedHashMap<>();
    check(failures, "home_page_is_served", base + "/", 200, "<title>static-site");
    check(failures, "about_page_is_linked_and_served", base + "/about.html", 200, "href=\"/\"");
    check(failures, "stylesheet_is_served", base + "/style.css", 200, "font-family");
    check(failures, "version_is_the_released_sha", base + "/version", 200, sha);
    check(failures, "missing_page_is_404", base + "/no-such-page.html", 404, "");
    check(failures, "metrics_count_requests", base + "/cgi-bin/metrics", 200, "http_requests_total{status=\"200\"}");
    long failed = failures.values().stream().filter(f -> f != null).count();
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"static-site-e2e\" tests=\"")
        .append(failures.size()).append("\" failures=\"").append(failed).append("\">\n");
    failures.forEach((name, failure) -> {
      xml.append("  <testcase classname=\"SiteE2e\" name=\"").append(name).append('"');
      xml.append(failure == null ? "/>\n" : ">\n    <failure message=\"" + escape(failure) + "\"/>\n  </testcase>\n");
      System.out.println((failure == null ? "PASS " : "FAIL ") + name + (failure == null ? "" : ": " + failure));
    });
    Files.createDirectories(Path.of("e2e-results"));
    Files.writeString(Path.of("e2e-results/junit.xml"), xml.append("</testsuite>\n"));
    System.out.println(failures.size() + " tests, " + failed + " failed against " + base);
    System.exit(failed == 0 ? 0 : 1);
  }

  /** GET url: the status must be {@code status} and the body contain {@code text}; else the failure is recorded. */
  static void check(Map<String, String> failures, String name, String url, int status, String text) {
    String failure = null;
    try {
      HttpResponse<String> answer = HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != status || !answer.body().contains(text)) {
        failure = "GET " + url + ": expected " + status + " with '" + text + "', got " + answer.statusCode();
      }
    } catch (Exception e) {
      failure = "GET " + url + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
    failures.put(name, failure);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
