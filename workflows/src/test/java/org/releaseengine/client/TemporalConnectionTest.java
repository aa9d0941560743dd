package org.releaseengine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.TlsFrontDoor;
import org.releaseengine.TlsFrontDoor.Certificates;

/** The TLS and API key variables: what each turns on, and one line naming it when it is bad. */
class TemporalConnectionTest {

  private static final String ADDRESS = "127.0.0.1:7233";

  @TempDir static Path dir;
  private static Certificates certs;

  @BeforeAll
  static void makeCertificates() {
    certs = TlsFrontDoor.certificates(dir.resolve("certs"));
  }

  private static TemporalConnection connect(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return TemporalConnection.fromEnvironment(ADDRESS, env);
  }

  private static String refused(String... pairs) {
    return assertThrows(ConnectionSettingException.class, () -> connect(pairs)).getMessage();
  }

  private static String path(Path file) {
    return file.toString();
  }

  @Test
  void nothingSetIsPlaintext() {
    TemporalConnection connection = connect();
    assertFalse(connection.tls());
    assertEquals("plaintext", connection.describe());
    WorkflowServiceStubsOptions options = connection.stubsOptions();
    assertEquals(ADDRESS, options.getTarget());
    assertFalse(options.getEnableHttps());
    assertNull(options.getSslContext());
    assertTrue(
        options.getGrpcMetadataProviders() == null || options.getGrpcMetadataProviders().isEmpty());
  }

  @Test
  void tlsTrueUsesTheSystemTrustStore() {
    TemporalConnection connection = connect("TEMPORAL_TLS", "true");
    assertTrue(connection.tls());
    assertEquals("TLS", connection.describe());
    assertTrue(connection.stubsOptions().getEnableHttps());
    assertNull(connection.stubsOptions().getSslContext());
  }

  @Test
  void aClientCertificateAndACaBuildTheSslContext() {
    TemporalConnection connection =
        connect(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(certs.clientKey()),
            "TEMPORAL_TLS_CA", path(certs.ca()));
    assertTrue(connection.tls());
    assertEquals("TLS with a client certificate", connection.describe());
    assertNotNull(connection.stubsOptions().getSslContext());
  }

  @Test
  void aPkcs1KeyIsReadToo() {
    TemporalConnection connection =
        connect(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(certs.clientRsaKey()));
    assertNotNull(connection.stubsOptions().getSslContext());
  }

  @Test
  void theClientConfigurationNamesAreReadAsWell() {
    TemporalConnection connection =
        connect(
            "TEMPORAL_TLS_CLIENT_CERT_PATH", path(certs.clientCertificate()),
            "TEMPORAL_TLS_CLIENT_KEY_PATH", path(certs.clientKey()),
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH", path(certs.ca()));
    assertEquals("TLS with a client certificate", connection.describe());
    assertEquals(
        "TEMPORAL_TLS_CA and TEMPORAL_TLS_SERVER_CA_CERT_PATH name different files: set one of"
            + " them",
        refused(
            "TEMPORAL_TLS_CA", path(certs.ca()),
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH", path(certs.otherCa())));
  }

  @Test
  void anApiKeyTurnsTlsOnUnlessTlsIsFalse() {
    TemporalConnection withKey = connect("TEMPORAL_API_KEY", "s3cret-key");
    assertTrue(withKey.tls());
    assertEquals("TLS with an API key", withKey.describe());
    assertFalse(withKey.describe().contains("s3cret"));
    assertEquals(1, withKey.stubsOptions().getGrpcMetadataProviders().size());
    assertEquals(
        "Bearer s3cret-key",
        withKey
            .stubsOptions()
            .getGrpcMetadataProviders()
            .iterator()
            .next()
            .getMetadata()
            .get(
                io.grpc.Metadata.Key.of(
                    "authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
    TemporalConnection plain = connect("TEMPORAL_API_KEY", "k", "TEMPORAL_TLS", "false");
    assertFalse(plain.tls());
    assertEquals("plaintext with an API key", plain.describe());
  }

  @Test
  void aServerNameTurnsTlsOn() {
    TemporalConnection connection =
        connect("TEMPORAL_TLS_SERVER_NAME", "temporal.test", "TEMPORAL_TLS_CA", path(certs.ca()));
    assertTrue(connection.tls());
    assertNotNull(connection.stubsOptions().getChannelInitializer());
  }

  @Test
  void aCertificateNeedsItsKeyAndAKeyItsCertificate() {
    assertEquals(
        "TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not: a client certificate needs its key",
        refused("TEMPORAL_TLS_CERT", path(certs.clientCertificate())));
    assertEquals(
        "TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not: a key needs its client certificate",
        refused("TEMPORAL_TLS_KEY", path(certs.clientKey())));
  }

  @Test
  void missingUnreadableAndWrongFilesNameTheVariable() throws IOException {
    Path missing = dir.resolve("nope.pem");
    assertEquals("TEMPORAL_TLS_CA: no file " + missing, refused("TEMPORAL_TLS_CA", path(missing)));
    assertEquals(
        "TEMPORAL_TLS_CA: " + dir + " is a directory, not a file",
        refused("TEMPORAL_TLS_CA", path(dir)));
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    assertEquals(
        "TEMPORAL_TLS_CERT: " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        refused(
            "TEMPORAL_TLS_CERT", path(garbage),
            "TEMPORAL_TLS_KEY", path(certs.clientKey())));
    assertEquals(
        "TEMPORAL_TLS_KEY: " + garbage + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
        refused(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(garbage)));
    assertEquals(
        "TEMPORAL_TLS_KEY: "
            + certs.clientCertificate()
            + " holds a 'CERTIFICATE' block; give a PKCS#8 or PKCS#1 key"
            + " (openssl pkcs8 -topk8 -nocrypt)",
        refused(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(certs.clientCertificate())));
    Path encrypted =
        Files.writeString(
            dir.resolve("encrypted.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertEquals(
        "TEMPORAL_TLS_KEY: "
            + encrypted
            + " is encrypted; give an unencrypted key (openssl pkcs8 -topk8 -nocrypt)",
        refused(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(encrypted)));
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertEquals(
        "TEMPORAL_TLS_KEY: "
            + certs.serverKey()
            + " is not the key of the certificate in TEMPORAL_TLS_CERT ("
            + certs.clientCertificate()
            + ")",
        refused(
            "TEMPORAL_TLS_CERT", path(certs.clientCertificate()),
            "TEMPORAL_TLS_KEY", path(certs.serverKey())));
  }

  @Test
  void badFlagsAndContradictionsAndUnsupportedVariables() {
    assertEquals("TEMPORAL_TLS must be true or false, not 'yes'", refused("TEMPORAL_TLS", "yes"));
    assertEquals(
        "TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CA: unset one of them",
        refused("TEMPORAL_TLS", "false", "TEMPORAL_TLS_CA", path(certs.ca())));
    assertEquals(
        "TEMPORAL_TLS_CA_DATA is not supported: put the PEM in a file and set TEMPORAL_TLS_CA",
        refused("TEMPORAL_TLS_CA_DATA", "-----BEGIN CERTIFICATE-----"));
    assertEquals(
        "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported: name the server the certificate"
            + " was issued to with TEMPORAL_TLS_SERVER_NAME",
        refused("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true"));
    assertEquals(
        "TEMPORAL_API_KEY holds a space or a character that cannot be sent in a header",
        refused("TEMPORAL_API_KEY", "two words"));
  }

  @Test
  void aServerThatIsDownIsNotExplainedAsTls() {
    assertTrue(
        connect("TEMPORAL_TLS", "true")
            .explain(Status.UNAVAILABLE.withDescription("Connection refused").asRuntimeException())
            .isEmpty());
  }
}
