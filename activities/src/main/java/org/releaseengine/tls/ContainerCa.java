package org.releaseengine.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the worker trusts for the environments' https URLs ({@code RELEASE_PROXY_CA} and the JDK's
 * authorities, {@link ExtraCas}), written once as files a sealed E2E container reads through a
 * read-only mount at {@link #MOUNT}, and the variables that point the usual clients at them. Only
 * public certificates: no key, nothing secret.
 */
public final class ContainerCa {

  /** Where the container finds the files. */
  public static final String MOUNT = "/etc/release-engine/ca";

  static final String PEM = "ca.pem";
  static final String TRUSTSTORE = "truststore.p12";

  /**
   * The truststore's password: not a secret (the store holds public certificates only), but Java's
   * PKCS12 reader needs one to read what Java's writer protects.
   */
  static final String STORE_PASSWORD = "changeit";

  /** Java's options are joined with any release.yaml declares: the engine's first, theirs win. */
  static final String JAVA_OPTIONS = "JAVA_TOOL_OPTIONS";

  private final Path dir;

  private ContainerCa(Path dir) {
    this.dir = dir;
  }

  /**
   * The files for the PEM file {@code variable} names in {@code env}, in a new directory of their
   * own; null when it is unset.
   *
   * @throws IllegalArgumentException one line naming {@code variable} when the file does not read
   */
  public static ContainerCa fromEnvironment(Map<String, String> env, String variable) {
    String pem = env.get(variable);
    if (pem == null || pem.isBlank()) {
      return null;
    }
    try {
      Path dir = Files.createTempDirectory("release-engine-ca-");
      dir.toFile().deleteOnExit();
      return write(variable, Path.of(pem), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code pem}'s certificates and the JDK's authorities into {@code dir}. */
  public static ContainerCa write(String variable, Path pem, Path dir) {
    KeyStore trusted = ExtraCas.trustStore(variable, pem);
    try {
      StringBuilder bundle = new StringBuilder();
      Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      for (String alias : Collections.list(trusted.aliases())) {
        bundle
            .append("-----BEGIN CERTIFICATE-----\n")
            .append(base64.encodeToString(trusted.getCertificate(alias).getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      }
      Files.writeString(dir.resolve(PEM), bundle);
      try (OutputStream out = Files.newOutputStream(dir.resolve(TRUSTSTORE))) {
        trusted.store(out, STORE_PASSWORD.toCharArray());
      }
      // the container runs as a user of its own: it reads these, nobody writes them
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String file : new String[] {PEM, TRUSTSTORE}) {
        Files.setPosixFilePermissions(
            dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        dir.resolve(file).toFile().deleteOnExit();
      }
      return new ContainerCa(dir);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          variable + " " + pem + ": cannot write the container's copy (" + e.getMessage() + ")");
    }
  }

  /** The directory to mount read-only at {@link #MOUNT}. */
  public Path dir() {
    return dir;
  }

  /**
   * The variables that point the usual clients at the files: OpenSSL, curl, Python's requests and
   * Node.js at the PEM bundle, Java at the truststore. A name {@code declared} (release.yaml's
   * literal env) already sets is left to it, except Java's options, which are joined.
   */
  public Map<String, String> env(Map<String, String> declared) {
    String pem = MOUNT + "/" + PEM;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SSL_CERT_FILE", pem);
    env.put("CURL_CA_BUNDLE", pem);
    env.put("REQUESTS_CA_BUNDLE", pem);
    env.put("NODE_EXTRA_CA_CERTS", pem);
    String java =
        "-Djavax.net.ssl.trustStore="
            + MOUNT
            + "/"
            + TRUSTSTORE
            + " -Djavax.net.ssl.trustStoreType=PKCS12"
            + " -Djavax.net.ssl.trustStorePassword="
            + STORE_PASSWORD;
    String theirs = declared.get(JAVA_OPTIONS);
    env.put(JAVA_OPTIONS, theirs == null || theirs.isBlank() ? java : java + " " + theirs);
    declared.keySet().stream().filter(k -> !k.equals(JAVA_OPTIONS)).forEach(env::remove);
    return env;
  }
}
