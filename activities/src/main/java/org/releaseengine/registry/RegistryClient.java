package org.releaseengine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The Docker Registry HTTP API v2: which digest a tag has, what an image's labels say, and whether
 * a digest is still stored. Loopback registries are spoken to over plain HTTP, others over HTTPS.
 */
public final class RegistryClient {

  private static final String MANIFEST_TYPES =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + " application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The digest the registry reports for {@code repository:reference} (a tag or a digest). */
  public Optional<String> digestOf(String repository, String reference) throws IOException {
    HttpResponse<Void> head =
        send(
            request(repository, "manifests/" + reference)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (head.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(head, repository + ":" + reference);
    return head.headers().firstValue("Docker-Content-Digest");
  }

  /** The value of one label of the image at {@code repository:reference}, if it has it. */
  public Optional<String> label(String repository, String reference, String label)
      throws IOException {
    HttpResponse<String> manifest =
        send(
            request(repository, "manifests/" + reference).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (manifest.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(manifest, repository + ":" + reference);
    String configDigest = JSON.readTree(manifest.body()).path("config").path("digest").asText();
    HttpResponse<String> config =
        send(
            request(repository, "blobs/" + configDigest).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    expectOk(config, repository + "@" + configDigest);
    JsonNode value = JSON.readTree(config.body()).path("config").path("Labels").path(label);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  public boolean exists(String repository, String digest) throws IOException {
    return digestOf(repository, digest).isPresent();
  }

  /** The registry's host[:port] part of a repository. */
  public static String host(String repository) {
    return repository.substring(0, repository.indexOf('/'));
  }

  private HttpRequest.Builder request(String repository, String path) {
    String host = host(repository);
    String name = repository.substring(host.length() + 1);
    boolean loopback = host.startsWith("127.") || host.startsWith("localhost");
    return HttpRequest.newBuilder(
            URI.create((loopback ? "http://" : "https://") + host + "/v2/" + name + "/" + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", MANIFEST_TYPES);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new RegistryUnavailable(
          "registry "
              + request.uri().getAuthority()
              + " is unreachable ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void expectOk(HttpResponse<?> response, String what) throws IOException {
    if (response.statusCode() != 200) {
      throw new IOException("registry answered " + response.statusCode() + " for " + what);
    }
  }

  /** The registry did not answer at all. */
  public static final class RegistryUnavailable extends IOException {
    public RegistryUnavailable(String message) {
      super(message);
    }
  }
}
