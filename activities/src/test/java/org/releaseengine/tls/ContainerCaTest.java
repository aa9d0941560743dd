package org.releaseengine.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's copy of RELEASE_PROXY_CA: a PEM bundle, a truststore and their variables. */
class ContainerCaTest {

  @TempDir Path tmp;

  /** A real CA certificate (one of the JDK's) as a PEM file, standing in for an operator's. */
  private static X509Certificate someCa() throws Exception {
    TrustManagerFactory jdk =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    return ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers()[0];
  }

  private Path pem(X509Certificate cert) throws Exception {
    Path file = tmp.resolve("ca.crt");
    Files.writeString(
        file,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    return file;
  }

  @Test
  void theBundleAndTheTruststoreHoldTheCaAndTheJdksAuthorities() throws Exception {
    X509Certificate ca = someCa();
    Path dir = Files.createDirectory(tmp.resolve("out"));
    ContainerCa written = ContainerCa.write("RELEASE_PROXY_CA", pem(ca), dir);

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(ContainerCa.TRUSTSTORE))) {
      store.load(in, ContainerCa.STORE_PASSWORD.toCharArray());
    }
    assertEquals(ca, store.getCertificate("configured-0"));
    assertTrue(store.size() > 1, "the JDK's authorities too: " + store.size());

    byte[] bundle = Files.readAllBytes(dir.resolve(ContainerCa.PEM));
    var certs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(bundle));
    assertEquals(store.size(), certs.size());
    assertTrue(certs.contains(ca));
    assertFalse(new String(bundle, StandardCharsets.US_ASCII).contains("PRIVATE KEY"));
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ContainerCa.PEM))));
    assertEquals(dir, written.dir());
  }

  @Test
  void theVariablesPointIntoTheMountAndLeaveDeclaredNamesToRelease() throws Exception {
    ContainerCa written =
        ContainerCa.write(
            "RELEASE_PROXY_CA", pem(someCa()), Files.createDirectory(tmp.resolve("out")));
    Map<String, String> plain = written.env(Map.of());
    assertEquals("/etc/release-engine/ca/ca.pem", plain.get("SSL_CERT_FILE"));
    assertEquals("/etc/release-engine/ca/ca.pem", plain.get("NODE_EXTRA_CA_CERTS"));
    assertEquals(
        "-Djavax.net.ssl.trustStore=/etc/release-engine/ca/truststore.p12"
            + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit",
        plain.get("JAVA_TOOL_OPTIONS"));

    Map<String, String> declared =
        written.env(Map.of("SSL_CERT_FILE", "/theirs.pem", "JAVA_TOOL_OPTIONS", "-Xmx256m"));
    assertFalse(declared.containsKey("SSL_CERT_FILE"));
    assertTrue(
        declared.get("JAVA_TOOL_OPTIONS").endsWith("changeit -Xmx256m"),
        declared.get("JAVA_TOOL_OPTIONS"));
  }

  @Test
  void aFileWithoutACertificateIsOneLineNamingTheVariable() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.pem"), "nothing\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ContainerCa.write("RELEASE_PROXY_CA", empty, tmp));
    assertTrue(e.getMessage().startsWith("RELEASE_PROXY_CA " + empty + ": "), e.getMessage());
  }
}
