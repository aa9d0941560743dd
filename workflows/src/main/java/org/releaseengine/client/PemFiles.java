package org.releaseengine.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, each failure one line naming the variable that gave
 * the path. Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}), what openssl writes.
 */
final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** The DER of the AlgorithmIdentifier {rsaEncryption, NULL}, to wrap a PKCS#1 key in PKCS#8. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private PemFiles() {}

  /** Every certificate in the file (a chain or a CA bundle); at least one. */
  static List<X509Certificate> certificates(String variable, String path) {
    byte[] bytes = read(variable, path);
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var certificate :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) certificate);
      }
      if (!certificates.isEmpty()) {
        return certificates;
      }
    } catch (CertificateException e) {
      // the line below says what was expected
    }
    throw new ConnectionSettingException(
        variable + ": " + path + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  }

  static PrivateKey privateKey(String variable, String path) {
    String text = new String(read(variable, path), StandardCharsets.US_ASCII);
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw new ConnectionSettingException(
          variable + ": " + path + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    String type = block.group(1);
    String body = block.group(2);
    if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
      throw new ConnectionSettingException(
          variable
              + ": "
              + path
              + " is encrypted; give an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body.trim());
    } catch (IllegalArgumentException e) {
      throw new ConnectionSettingException(
          variable + ": " + path + " is not valid PEM (" + e.getMessage() + ")");
    }
    return switch (type) {
      case "PRIVATE KEY" -> pkcs8(variable, path, der);
      case "RSA PRIVATE KEY" -> pkcs8(variable, path, rsaPkcs1ToPkcs8(der));
      default ->
          throw new ConnectionSettingException(
              variable
                  + ": "
                  + path
                  + " holds a '"
                  + type
                  + "' block; give a PKCS#8 or PKCS#1 key (openssl pkcs8 -topk8 -nocrypt)");
    };
  }

  /**
   * Whether {@code key} is the private half of {@code certificate}'s public key: it signs, the
   * certificate's key verifies. Keys of other kinds are not checked here (the handshake will).
   */
  static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8(String variable, String path, byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // try the next kind
      }
    }
    throw new ConnectionSettingException(
        variable + ": " + path + " holds no RSA, EC or Ed25519 private key that Java can read");
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } }. */
  private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(new byte[] {0x02, 0x01, 0x00});
    info.writeBytes(RSA_ALGORITHM);
    info.writeBytes(der(0x04, pkcs1));
    return der(0x30, info.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] read(String variable, String path) {
    Path file = Path.of(path);
    if (!Files.exists(file)) {
      throw new ConnectionSettingException(variable + ": no file " + path);
    }
    if (Files.isDirectory(file)) {
      throw new ConnectionSettingException(variable + ": " + path + " is a directory, not a file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConnectionSettingException(
          variable + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
