package org.releaseengine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.releaseengine.registry.RegistryAccess.Login;

/**
 * The registry HTTP API (OCI distribution spec): which digest a tag has, what an image's labels
 * say, and whether a digest is still stored. Loopback registries are spoken to over plain HTTP,
 * others over HTTPS, trusting the configured certificate authorities (RegistryAccess). A registry
 * that answers 401 is answered in its challenge's scheme: Basic with the worker's login for it, or
 * Bearer with a token fetched from the challenge's realm (with that login, or anonymously).
 */
public final class RegistryClient {

  private static final String MANIFEST_TYPES =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + " application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TOKEN_LIFE = Duration.ofSeconds(60);

  private final RegistryAccess access;
  private final HttpClient http;

  /** The Authorization header that worked last, per registry and repository, until it expires. */
  private final Map<String, Credential> credentials = new ConcurrentHashMap<>();

  private record Credential(String header, Instant expires) {}

  public RegistryClient(RegistryAccess access) {
    this.access = access;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (access.ssl() != null) {
      builder.sslContext(access.ssl());
    }
    this.http = builder.build();
  }

  /** The digest the registry reports for {@code repository:reference} (a tag or a digest). */
  public Optional<String> digestOf(String repository, String reference) throws IOException {
    HttpResponse<Void> head =
        send(repository, "manifests/" + reference, "HEAD", HttpResponse.BodyHandlers.discarding());
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
        send(repository, "manifests/" + reference, "GET", HttpResponse.BodyHandlers.ofString());
    if (manifest.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(manifest, repository + ":" + reference);
    String configDigest = JSON.readTree(manifest.body()).path("config").path("digest").asText();
    HttpResponse<String> config =
        send(repository, "blobs/" + configDigest, "GET", HttpResponse.BodyHandlers.ofString());
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

  /** Whether a registry is spoken to over plain HTTP: only on loopback. */
  static boolean loopback(String host) {
    return host.startsWith("127.") || host.startsWith("localhost");
  }

  /**
   * One request, with the credential that worked before; on a 401, once more with what the
   * registry's challenge asks for.
   */
  private <T> HttpResponse<T> send(
      String repository, String path, String method, HttpResponse.BodyHandler<T> body)
      throws IOException {
    String key = repository;
    Credential known = credentials.get(key);
    if (known != null && known.expires().isBefore(Instant.now())) {
      credentials.remove(key);
      known = null;
    }
    HttpResponse<T> response =
        exchange(request(repository, path, method, known == null ? null : known.header()), body);
    if (response.statusCode() != 401) {
      return response;
    }
    Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
    if (challenge.isEmpty()) {
      throw new RegistryRefused(
          "registry " + host(repository) + " answered 401 without a challenge for " + repository);
    }
    Credential fresh = answer(repository, AuthChallenge.parse(challenge.get()));
    response = exchange(request(repository, path, method, fresh.header()), body);
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new RegistryRefused(
          "registry "
              + host(repository)
              + " refused "
              + who(repository)
              + " for "
              + repository
              + " ("
              + response.statusCode()
              + ")");
    }
    credentials.put(key, fresh);
    return response;
  }

  private String who(String repository) {
    return access
        .loginFor(host(repository))
        .map(login -> "the login of " + login.username())
        .orElse("the worker, which has no login for it (RELEASE_REGISTRY_AUTH)");
  }

  /** The Authorization header a challenge asks for. */
  private Credential answer(String repository, AuthChallenge challenge) throws IOException {
    String registry = host(repository);
    Optional<Login> login = access.loginFor(registry);
    if (challenge.basic()) {
      if (login.isEmpty()) {
        throw new RegistryRefused(
            "registry "
                + registry
                + " asks for a login and the worker has none for it (RELEASE_REGISTRY_AUTH)");
      }
      return new Credential("Basic " + RegistryAccess.basic(login.get()), Instant.MAX);
    }
    if (challenge.bearer()) {
      return token(repository, challenge, login);
    }
    throw new RegistryRefused(
        "registry "
            + registry
            + " asks for "
            + challenge.scheme()
            + " authentication, unsupported");
  }

  /**
   * A Bearer token from the challenge's realm, for its service and scope (or pull of this
   * repository when it names none), asked with the worker's login when it has one.
   */
  private Credential token(String repository, AuthChallenge challenge, Optional<Login> login)
      throws IOException {
    String realm = challenge.param("realm");
    if (realm == null || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
      throw new RegistryRefused(
          "registry " + host(repository) + " names no usable token realm (" + realm + ")");
    }
    if (realm.startsWith("http://") && !loopback(URI.create(realm).getHost())) {
      throw new RegistryRefused(
          "registry " + host(repository) + "'s token realm " + realm + " is not HTTPS");
    }
    String name = repository.substring(host(repository).length() + 1);
    String scope =
        challenge.param("scope") != null
            ? challenge.param("scope")
            : "repository:" + name + ":pull";
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (challenge.param("service") != null) {
      url.append("service=").append(encode(challenge.param("service"))).append('&');
    }
    url.append("scope=").append(encode(scope));
    HttpRequest.Builder ask =
        HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30)).GET();
    login.ifPresent(l -> ask.header("Authorization", "Basic " + RegistryAccess.basic(l)));
    HttpResponse<String> answer = exchange(ask.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new RegistryRefused(
          "token service "
              + URI.create(realm).getAuthority()
              + " refused "
              + who(repository)
              + " for "
              + scope
              + " ("
              + answer.statusCode()
              + ")");
    }
    JsonNode json = JSON.readTree(answer.body());
    String token =
        json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
    if (token.isEmpty()) {
      throw new RegistryRefused(
          "token service " + URI.create(realm).getAuthority() + " gave no token");
    }
    Duration life =
        json.hasNonNull("expires_in") && json.get("expires_in").asLong() > 0
            ? Duration.ofSeconds(json.get("expires_in").asLong())
            : DEFAULT_TOKEN_LIFE;
    // renew a little early, so that a token never expires between the check and the request
    return new Credential(
        "Bearer " + token,
        Instant.now().plus(life).minus(Duration.ofSeconds(Math.min(10, life.toSeconds() / 2))));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest request(String repository, String path, String method, String authorization) {
    String host = host(repository);
    String name = repository.substring(host.length() + 1);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(
                URI.create(
                    (loopback(host) ? "http://" : "https://") + host + "/v2/" + name + "/" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", MANIFEST_TYPES)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException {
    try {
      return http.send(request, body);
    } catch (SSLException e) {
      throw new RegistryRefused(
          request.uri().getAuthority()
              + " failed the TLS handshake: its certificate is not trusted"
              + " (RELEASE_REGISTRY_CA) or does not name it ("
              + e.getMessage()
              + ")");
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

  /**
   * The registry (or its token service) answered but refused: no or wrong login, an untrusted
   * certificate. Retrying does not help; the worker's configuration must change.
   */
  public static final class RegistryRefused extends IOException {
    public RegistryRefused(String message) {
      super(message);
    }
  }
}
