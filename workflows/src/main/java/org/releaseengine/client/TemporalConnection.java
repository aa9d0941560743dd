package org.releaseengine.client;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * How release-cli and the worker reach Temporal: the address, and TLS, a client certificate and an
 * API key from the variables Temporal's own CLI reads. Every file is read and checked here, before
 * any connection is opened; a bad value is a {@link ConnectionSettingException} naming the
 * variable.
 *
 * <p>Names: {@code TEMPORAL_TLS_CERT}, {@code TEMPORAL_TLS_KEY} and {@code TEMPORAL_TLS_CA} are the
 * temporal CLI's flag variables (--tls-cert-path, --tls-key-path, --tls-ca-path); the names of
 * Temporal's client environment configuration, {@code TEMPORAL_TLS_CLIENT_CERT_PATH}, {@code
 * TEMPORAL_TLS_CLIENT_KEY_PATH} and {@code TEMPORAL_TLS_SERVER_CA_CERT_PATH}, are read as well.
 * Like Temporal's clients, any TLS setting or an API key turns TLS on; {@code TEMPORAL_TLS=false}
 * turns it off (an API key is then sent in the clear, for a trusted proxy on loopback only).
 */
public final class TemporalConnection {

  public static final String TLS = "TEMPORAL_TLS";
  public static final String CERT = "TEMPORAL_TLS_CERT";
  public static final String KEY = "TEMPORAL_TLS_KEY";
  public static final String CA = "TEMPORAL_TLS_CA";
  public static final String SERVER_NAME = "TEMPORAL_TLS_SERVER_NAME";
  public static final String API_KEY = "TEMPORAL_API_KEY";

  /** The client environment configuration's names for the same three files. */
  private static final Map<String, String> ALIASES =
      Map.of(
          CERT, "TEMPORAL_TLS_CLIENT_CERT_PATH",
          KEY, "TEMPORAL_TLS_CLIENT_KEY_PATH",
          CA, "TEMPORAL_TLS_SERVER_CA_CERT_PATH");

  /** Settings Temporal's CLI knows that this one does not: refused rather than ignored. */
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "TEMPORAL_TLS_CERT_DATA", CERT,
          "TEMPORAL_TLS_CLIENT_CERT_DATA", CERT,
          "TEMPORAL_TLS_KEY_DATA", KEY,
          "TEMPORAL_TLS_CLIENT_KEY_DATA", KEY,
          "TEMPORAL_TLS_CA_DATA", CA,
          "TEMPORAL_TLS_SERVER_CA_CERT_DATA", CA);

  private final String address;
  private final boolean tls;
  private final SslContext sslContext;
  private final String serverName;
  private final String apiKey;
  private final boolean clientCertificate;
  private final boolean customCa;

  private TemporalConnection(
      String address,
      boolean tls,
      SslContext sslContext,
      String serverName,
      String apiKey,
      boolean clientCertificate,
      boolean customCa) {
    this.address = address;
    this.tls = tls;
    this.sslContext = sslContext;
    this.serverName = serverName;
    this.apiKey = apiKey;
    this.clientCertificate = clientCertificate;
    this.customCa = customCa;
  }

  /** Plaintext, no credentials: a dev server on loopback. */
  public static TemporalConnection plaintext(String address) {
    return new TemporalConnection(address, false, null, null, null, false, false);
  }

  /** Reads and checks the TLS and API key variables of {@code env} (the process environment). */
  public static TemporalConnection fromEnvironment(String address, Map<String, String> env) {
    for (var unsupported : UNSUPPORTED.entrySet()) {
      if (value(env, unsupported.getKey()) != null) {
        throw new ConnectionSettingException(
            unsupported.getKey()
                + " is not supported: put the PEM in a file and set "
                + unsupported.getValue());
      }
    }
    if (Boolean.TRUE.equals(flag(env, "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION"))) {
      throw new ConnectionSettingException(
          "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported: name the server the"
              + " certificate was issued to with "
              + SERVER_NAME);
    }
    Setting cert = file(env, CERT);
    Setting key = file(env, KEY);
    Setting ca = file(env, CA);
    String serverName = value(env, SERVER_NAME);
    String apiKey = value(env, API_KEY);
    Boolean tlsFlag = flag(env, TLS);
    boolean tlsSettings = cert != null || key != null || ca != null || serverName != null;
    if (Boolean.FALSE.equals(tlsFlag) && tlsSettings) {
      Setting named = cert != null ? cert : key != null ? key : ca;
      throw new ConnectionSettingException(
          TLS
              + "=false contradicts "
              + (named != null ? named.variable() : SERVER_NAME)
              + ": unset one of them");
    }
    if (cert != null && key == null) {
      throw new ConnectionSettingException(
          cert.variable() + " is set but " + KEY + " is not: a client certificate needs its key");
    }
    if (key != null && cert == null) {
      throw new ConnectionSettingException(
          key.variable() + " is set but " + CERT + " is not: a key needs its client certificate");
    }
    if (apiKey != null && apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new ConnectionSettingException(
          API_KEY + " holds a space or a character that cannot be sent in a header");
    }
    boolean tls = tlsFlag != null ? tlsFlag : tlsSettings || apiKey != null;
    SslContext sslContext = null;
    if (tls && (cert != null || ca != null)) {
      sslContext = sslContext(cert, key, ca);
    }
    return new TemporalConnection(
        address, tls, sslContext, serverName, apiKey, cert != null, ca != null);
  }

  public String address() {
    return address;
  }

  public boolean tls() {
    return tls;
  }

  /** The stubs' options: the target, TLS and the API key. */
  public WorkflowServiceStubsOptions stubsOptions() {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).setEnableHttps(tls);
    if (sslContext != null) {
      options.setSslContext(sslContext);
    }
    if (serverName != null) {
      // the name the certificate is checked against and sent as SNI and :authority
      options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
    }
    if (apiKey != null) {
      options.addApiKey(() -> apiKey);
    }
    return options.build();
  }

  /** What protects the connection, for a start-up line: never the key itself. */
  public String describe() {
    List<String> with = new ArrayList<>();
    if (clientCertificate) {
      with.add("a client certificate");
    }
    if (apiKey != null) {
      with.add("an API key");
    }
    return (tls ? "TLS" : "plaintext")
        + (with.isEmpty() ? "" : " with " + String.join(" and ", with));
  }

  /**
   * A failure to connect that TLS or the credentials explain, as one line; empty for anything else
   * (a server that is down, for one).
   */
  public Optional<String> explain(Throwable failure) {
    return ConnectionFailures.explain(this, failure);
  }

  boolean hasClientCertificate() {
    return clientCertificate;
  }

  boolean hasCustomCa() {
    return customCa;
  }

  boolean hasApiKey() {
    return apiKey != null;
  }

  String serverName() {
    return serverName;
  }

  private static SslContext sslContext(Setting cert, Setting key, Setting ca) {
    SslContextBuilder builder = GrpcSslContexts.forClient();
    if (ca != null) {
      builder.trustManager(
          PemFiles.certificates(ca.variable(), ca.path()).toArray(X509Certificate[]::new));
    }
    if (cert != null) {
      List<X509Certificate> chain = PemFiles.certificates(cert.variable(), cert.path());
      PrivateKey privateKey = PemFiles.privateKey(key.variable(), key.path());
      if (!PemFiles.matches(privateKey, chain.get(0))) {
        throw new ConnectionSettingException(
            key.variable()
                + ": "
                + key.path()
                + " is not the key of the certificate in "
                + cert.variable()
                + " ("
                + cert.path()
                + ")");
      }
      builder.keyManager(privateKey, chain.toArray(X509Certificate[]::new));
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new ConnectionSettingException(
          "cannot use " + (cert != null ? cert.variable() : ca.variable()) + ": " + e.getMessage());
    }
  }

  /** A variable that names a file, by whichever of its two names was set. */
  private record Setting(String variable, String path) {}

  private static Setting file(Map<String, String> env, String variable) {
    String alias = ALIASES.get(variable);
    String value = value(env, variable);
    String aliased = value(env, alias);
    if (value != null && aliased != null && !value.equals(aliased)) {
      throw new ConnectionSettingException(
          variable + " and " + alias + " name different files: set one of them");
    }
    if (value != null) {
      return new Setting(variable, value);
    }
    return aliased == null ? null : new Setting(alias, aliased);
  }

  private static String value(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** true/false as Go's ParseBool reads them (what Temporal's CLI uses); null when unset. */
  private static Boolean flag(Map<String, String> env, String variable) {
    String value = value(env, variable);
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "t", "true" -> true;
      case "0", "f", "false" -> false;
      default ->
          throw new ConnectionSettingException(
              variable + " must be true or false, not '" + value + "'");
    };
  }
}
