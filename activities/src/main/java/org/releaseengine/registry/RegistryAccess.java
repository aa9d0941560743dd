package org.releaseengine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.releaseengine.tls.ExtraCas;

/**
 * How the worker reaches private registries: per-registry credentials from a Docker {@code
 * config.json} ({@code RELEASE_REGISTRY_AUTH}; {@code auths.<host>.auth} or {@code username}/{@code
 * password}) and extra certificate authorities to trust for HTTPS ({@code RELEASE_REGISTRY_CA},
 * PEM, beside the JDK's own). Used for the worker's push, its registry lookups, and the hosts'
 * pulls (the credentials of the image's registry travel to the host on the pull command's standard
 * input). Credential helpers ({@code credsStore}) are not read.
 */
public final class RegistryAccess {

  /** A registry login. The password is never part of a message. */
  public record Login(String username, String password) {
    @Override
    public String toString() {
      return "Login[" + username + "]";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Login> logins;
  private final SSLContext ssl;

  RegistryAccess(Map<String, Login> logins, SSLContext ssl) {
    this.logins = Map.copyOf(logins);
    this.ssl = ssl;
  }

  /** No credentials, the JDK's certificate authorities. */
  public static RegistryAccess none() {
    return new RegistryAccess(Map.of(), null);
  }

  /** From {@code RELEASE_REGISTRY_AUTH} and {@code RELEASE_REGISTRY_CA} (both optional). */
  public static RegistryAccess fromEnvironment(Map<String, String> env) {
    String auth = env.get("RELEASE_REGISTRY_AUTH");
    return new RegistryAccess(
        auth == null || auth.isBlank() ? Map.of() : logins(Path.of(auth)),
        ExtraCas.fromEnvironment(env, "RELEASE_REGISTRY_CA"));
  }

  /** The login for a registry ({@code host[:port]}), if the worker has one. */
  public Optional<Login> loginFor(String registry) {
    return Optional.ofNullable(logins.get(registry));
  }

  /** The TLS context for registries: the JDK's authorities plus the configured ones (or null). */
  public SSLContext ssl() {
    return ssl;
  }

  /**
   * A Docker {@code config.json} holding only {@code registry}'s login, for a host's pull; empty
   * when the worker has none for it.
   */
  public Optional<byte[]> dockerConfigFor(String registry) {
    return loginFor(registry)
        .map(
            login -> {
              ObjectNode root = JSON.createObjectNode();
              root.putObject("auths").putObject(registry).put("auth", basic(login));
              return root.toString().getBytes(StandardCharsets.UTF_8);
            });
  }

  /** {@code base64(user:password)}, as Basic authentication and Docker's config.json write it. */
  static String basic(Login login) {
    return Base64.getEncoder()
        .encodeToString(
            (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Login> logins(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "RELEASE_REGISTRY_AUTH " + file + ": cannot read it as JSON (" + e.getMessage() + ")");
    }
    JsonNode auths = root == null ? null : root.get("auths");
    if (auths == null || !auths.isObject()) {
      throw new IllegalArgumentException(
          "RELEASE_REGISTRY_AUTH " + file + ": auths must be a mapping of registry to login");
    }
    Map<String, Login> logins = new LinkedHashMap<>();
    auths
        .fields()
        .forEachRemaining(
            entry ->
                logins.put(
                    registryOf(entry.getKey()), login(file, entry.getKey(), entry.getValue())));
    return logins;
  }

  private static Login login(Path file, String registry, JsonNode entry) {
    String where = "RELEASE_REGISTRY_AUTH " + file + ": auths." + registry;
    if (entry.hasNonNull("auth")) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".auth: not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(where + ".auth: must encode user:password");
      }
      return new Login(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
      return new Login(entry.get("username").asText(), entry.get("password").asText());
    }
    throw new IllegalArgumentException(where + ": needs auth, or username and password");
  }

  /** {@code https://host:port/v1/} and {@code host:port} name the same registry. */
  static String registryOf(String key) {
    String host = key.replaceFirst("^[a-z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
