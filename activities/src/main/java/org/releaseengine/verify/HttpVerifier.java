package org.releaseengine.verify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.stage.VerifyActivities;

/**
 * Checks a deployed environment from the outside, through its public URL: the health path answers
 * its expected status (200 unless release.yaml says otherwise) and the version path ({@code
 * /version} by default; {@code versionPath: none} turns the check off) names the released sha.
 */
public class HttpVerifier implements VerifyActivities {

  private final HttpClient http;

  /** Trusting the JDK's certificate authorities. */
  public HttpVerifier() {
    this(null);
  }

  /**
   * Trusting {@code ssl}'s authorities for https URLs (RELEASE_PROXY_CA, see ExtraCas), or the
   * JDK's when null.
   */
  public HttpVerifier(SSLContext ssl) {
    http = client(ssl);
  }

  /** The client the engine reaches environments' public URLs with. */
  public static HttpClient client(SSLContext ssl) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    return (ssl == null ? builder : builder.sslContext(ssl)).build();
  }

  @Override
  public GateResult verify(VerifyRequest request) {
    String base = request.spec().url().replaceAll("/+$", "");
    String healthPath =
        request.spec().healthPath() == null
            ? EnvironmentSpec.DEFAULT_HEALTH_PATH
            : request.spec().healthPath();
    try {
      HttpResponse<String> health = get(base + healthPath);
      if (health.statusCode() != request.spec().expectedHealthStatus()) {
        return new GateResult(
            false, healthPath + " answered " + health.statusCode() + " through " + base);
      }
      String versionPath = request.spec().versionCheckPath();
      if (versionPath == null) { // versionPath: none
        return new GateResult(
            true,
            request.environment()
                + " answers "
                + healthPath
                + " through "
                + base
                + " (version check off: versionPath none)");
      }
      String version = get(base + versionPath).body().trim();
      if (!version.equals(request.sha())) {
        return new GateResult(
            false,
            request.environment() + " serves " + abbreviate(version) + ", not " + request.sha());
      }
      return new GateResult(
          true, request.environment() + " serves " + request.sha() + " through " + base);
    } catch (IOException e) {
      return new GateResult(false, base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
