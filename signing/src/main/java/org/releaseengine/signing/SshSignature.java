package org.releaseengine.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A detached SSHSIG signature, as {@code ssh-keygen -Y sign} writes it (OpenSSH's PROTOCOL.sshsig):
 * an armored blob holding version 1, the signer's public key, the namespace, a reserved string, the
 * hash algorithm (sha256 or sha512) and the SSH signature over {@code "SSHSIG" || namespace ||
 * reserved || hash_algorithm || H(message)}.
 */
public final class SshSignature {

  static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  static final String END = "-----END SSH SIGNATURE-----";
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_ARMORED_LENGTH = 64 * 1024;
  private static final Map<String, String> HASHES =
      Map.of("sha256", "SHA-256", "sha512", "SHA-512");

  private final SshPublicKey publicKey;
  private final String namespace;
  private final byte[] reserved;
  private final String hashAlgorithm;
  private final byte[] signature;

  private SshSignature(
      SshPublicKey publicKey,
      String namespace,
      byte[] reserved,
      String hashAlgorithm,
      byte[] signature) {
    this.publicKey = publicKey;
    this.namespace = namespace;
    this.reserved = reserved;
    this.hashAlgorithm = hashAlgorithm;
    this.signature = signature;
  }

  /** Parses the armored text; anything but one well-formed version 1 signature is refused. */
  public static SshSignature parse(String armored) throws SigningException {
    if (armored == null || armored.isBlank()) {
      throw new SigningException("signature is empty");
    }
    if (armored.length() > MAX_ARMORED_LENGTH) {
      throw new SigningException("signature is longer than " + MAX_ARMORED_LENGTH + " characters");
    }
    String text = armored.replace("\r", "").strip();
    if (!text.startsWith(BEGIN + "\n")) {
      throw new SigningException("signature does not start with " + BEGIN);
    }
    if (!text.endsWith("\n" + END)) {
      throw new SigningException("signature does not end with " + END);
    }
    String body = text.substring(BEGIN.length(), text.length() - END.length());
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(body.replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw new SigningException("signature is not valid base64 between its armor lines");
    }
    return fromBlob(blob);
  }

  static SshSignature fromBlob(byte[] blob) throws SigningException {
    SshWire.Reader reader = new SshWire.Reader(blob, "signature");
    if (!Arrays.equals(reader.raw(MAGIC.length, "SSHSIG preamble"), MAGIC)) {
      throw new SigningException("signature does not begin with the SSHSIG preamble");
    }
    int version = reader.uint32("version");
    if (version != VERSION) {
      throw new SigningException(
          "signature has version " + Integer.toUnsignedString(version) + "; only 1 is known");
    }
    SshPublicKey key = SshPublicKey.fromBlob(reader.bytes("public key"));
    String namespace = reader.text("namespace");
    if (namespace.isEmpty()) {
      throw new SigningException("signature has an empty namespace");
    }
    byte[] reserved = reader.bytes("reserved field");
    String hash = reader.text("hash algorithm");
    if (!HASHES.containsKey(hash)) {
      throw new SigningException("signature uses hash algorithm " + hash + "; sha256 or sha512");
    }
    byte[] signature = reader.bytes("signature");
    reader.end();
    return new SshSignature(key, namespace, reserved, hash, signature);
  }

  /** The key the signer embedded; it proves nothing until it is found among trusted keys. */
  public SshPublicKey publicKey() {
    return publicKey;
  }

  public String namespace() {
    return namespace;
  }

  public String hashAlgorithm() {
    return hashAlgorithm;
  }

  /**
   * Checks that this signature is by {@code trusted}, made for {@code requiredNamespace}, over
   * exactly {@code message}; refuses with the first of these that does not hold.
   */
  public void verify(byte[] message, String requiredNamespace, SshPublicKey trusted)
      throws SigningException {
    if (!namespace.equals(requiredNamespace)) {
      throw new SigningException(
          "signature is for namespace '" + namespace + "', not '" + requiredNamespace + "'");
    }
    if (!publicKey.equals(trusted)) {
      throw new SigningException(
          "signature was made by key "
              + publicKey.fingerprint()
              + ", not by the trusted key "
              + trusted.fingerprint());
    }
    byte[] signed =
        new SshWire.Writer()
            .raw(MAGIC)
            .text(namespace)
            .bytes(reserved)
            .text(hashAlgorithm)
            .bytes(digest(HASHES.get(hashAlgorithm), message))
            .toByteArray();
    if (!publicKey.verifies(signed, signature)) {
      throw new SigningException(
          "signature by " + publicKey.fingerprint() + " does not match the signed text");
    }
  }

  private static byte[] digest(String algorithm, byte[] message) {
    try {
      return MessageDigest.getInstance(algorithm).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }
}
