package org.releaseengine.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS context that trusts the JDK's certificate authorities plus those of a PEM file an operator
 * names in a variable ({@code RELEASE_REGISTRY_CA} for registries, {@code RELEASE_PROXY_CA} for the
 * environments' public URLs). The one definition of "extra CAs" in the worker.
 */
public final class ExtraCas {

  private ExtraCas() {}

  /** The context for the PEM file the variable names, or null (the JDK's) when it is unset. */
  public static SSLContext fromEnvironment(Map<String, String> env, String variable) {
    String pem = env.get(variable);
    return pem == null || pem.isBlank() ? null : trusting(variable, Path.of(pem));
  }

  /**
   * The JDK's authorities and every certificate in {@code pem}.
   *
   * @throws IllegalArgumentException one line naming {@code variable} when the file does not read
   */
  public static SSLContext trusting(String variable, Path pem) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore(variable, pem));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          variable + " " + pem + ": cannot read the certificates (" + e.getMessage() + ")");
    }
  }

  /**
   * A key store (PKCS12) of trusted certificates only: every certificate in {@code pem} and the
   * JDK's authorities. What {@link #trusting} trusts, also written for gate containers ({@link
   * ContainerCa}).
   *
   * @throws IllegalArgumentException one line naming {@code variable} when the file does not read
   */
  public static KeyStore trustStore(String variable, Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(variable + " " + pem + ": no certificate in it");
      }
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        trusted.setCertificateEntry("configured-" + i++, cert);
      }
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (var manager : jdk.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate anchor : x509.getAcceptedIssuers()) {
            trusted.setCertificateEntry("jdk-" + i++, anchor);
          }
        }
      }
      return trusted;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          variable + " " + pem + ": cannot read the certificates (" + e.getMessage() + ")");
    }
  }
}
