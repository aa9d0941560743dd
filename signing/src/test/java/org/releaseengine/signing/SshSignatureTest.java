package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshSignatureTest {

  private static final byte[] MESSAGE = "release-engine-decision v1\nkind=abort\n".getBytes();
  private static final String NS = "release-engine";

  @TempDir static Path dir;
  private static Path ed25519;

  @BeforeAll
  static void keys() {
    ed25519 = OpenSsh.keygen(dir, "ed", "ed25519", 0);
  }

  @ParameterizedTest
  @CsvSource({
    "ed25519, 0, sha512",
    "ecdsa, 256, sha512",
    "ecdsa, 384, sha256",
    "ecdsa, 521, sha512",
    "rsa, 2048, sha256",
    "rsa, 3072, sha512"
  })
  void verifiesWhatSshKeygenSigned(String type, int bits, String hash) throws Exception {
    Path key = OpenSsh.keygen(dir, type + bits + hash, type, bits);
    String armored = OpenSsh.sign(key, NS, MESSAGE, "hashalg=" + hash);

    SshSignature signature = SshSignature.parse(armored);
    signature.verify(MESSAGE, NS, OpenSsh.publicKey(key));

    assertEquals(NS, signature.namespace());
    assertEquals(hash, signature.hashAlgorithm());
    assertEquals(OpenSsh.publicKey(key), signature.publicKey());
    byte[] tampered = MESSAGE.clone();
    tampered[tampered.length - 2] ^= 1;
    assertRefused(
        "does not match the signed text",
        () -> signature.verify(tampered, NS, OpenSsh.publicKey(key)));
  }

  @Test
  void refusesATamperedMessage() throws Exception {
    SshSignature signature = SshSignature.parse(OpenSsh.sign(ed25519, NS, MESSAGE));
    byte[] tampered = "release-engine-decision v1\nkind=approve\n".getBytes();

    assertRefused(
        "does not match the signed text",
        () -> signature.verify(tampered, NS, OpenSsh.publicKey(ed25519)));
  }

  @Test
  void refusesAnotherNamespace() throws Exception {
    SshSignature signature = SshSignature.parse(OpenSsh.sign(ed25519, "file", MESSAGE));

    assertRefused(
        "signature is for namespace 'file', not 'release-engine'",
        () -> signature.verify(MESSAGE, NS, OpenSsh.publicKey(ed25519)));
  }

  @Test
  void refusesWhenTheEmbeddedKeyIsNotTheTrustedOne() throws Exception {
    SshSignature signature = SshSignature.parse(OpenSsh.sign(ed25519, NS, MESSAGE));
    SshPublicKey other = OpenSsh.publicKey(OpenSsh.keygen(dir, "other", "ed25519", 0));

    assertRefused(
        "not by the trusted key " + other.fingerprint(),
        () -> signature.verify(MESSAGE, NS, other));
  }

  @Test
  void acceptsCarriageReturnsAndSurroundingBlankLines() throws Exception {
    String armored = OpenSsh.sign(ed25519, NS, MESSAGE);

    SshSignature.parse("\n" + armored.replace("\n", "\r\n") + "\n\n")
        .verify(MESSAGE, NS, OpenSsh.publicKey(ed25519));
  }

  @Test
  void refusesMalformedArmor() throws Exception {
    String armored = OpenSsh.sign(ed25519, NS, MESSAGE);
    assertRefused("signature is empty", () -> SshSignature.parse(" "));
    assertRefused(
        "does not start with -----BEGIN SSH SIGNATURE-----",
        () -> SshSignature.parse(armored.replace("BEGIN SSH SIGNATURE", "BEGIN PGP SIGNATURE")));
    assertRefused(
        "does not end with -----END SSH SIGNATURE-----",
        () -> SshSignature.parse(armored.substring(0, armored.indexOf("-----END"))));
    assertRefused("not valid base64", () -> SshSignature.parse(armored.replaceFirst("\n.", "\n*")));
  }

  @Test
  void refusesMalformedBlobs() throws Exception {
    SshSignature good = SshSignature.parse(OpenSsh.sign(ed25519, NS, MESSAGE));
    byte[] key = good.publicKey().blob();
    byte[] sigBlob = signatureField(OpenSsh.sign(ed25519, NS, MESSAGE));

    assertRefused(
        "SSHSIG preamble", () -> parseBlob(blob("SSHSIH", 1, key, NS, "sha512", sigBlob, false)));
    assertRefused(
        "version 2; only 1 is known",
        () -> parseBlob(blob("SSHSIG", 2, key, NS, "sha512", sigBlob, false)));
    assertRefused(
        "empty namespace", () -> parseBlob(blob("SSHSIG", 1, key, "", "sha512", sigBlob, false)));
    assertRefused(
        "hash algorithm md5", () -> parseBlob(blob("SSHSIG", 1, key, NS, "md5", sigBlob, false)));
    assertRefused(
        "unexpected trailing bytes",
        () -> parseBlob(blob("SSHSIG", 1, key, NS, "sha512", sigBlob, true)));
    byte[] whole = blob("SSHSIG", 1, key, NS, "sha512", sigBlob, false);
    assertRefused("truncated", () -> parseBlob(java.util.Arrays.copyOf(whole, whole.length - 10)));
  }

  /** An rsa-sha2-256 signature made here (ssh-keygen makes rsa-sha2-512): OpenSSH accepts it. */
  @Test
  void verifiesRsaSha256AndOpenSshAgrees() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
    byte[] keyBlob =
        new SshWire.Writer()
            .text("ssh-rsa")
            .bytes(rsa.getPublicExponent().toByteArray())
            .bytes(rsa.getModulus().toByteArray())
            .toByteArray();
    byte[] signed =
        new SshWire.Writer()
            .raw("SSHSIG".getBytes())
            .text(NS)
            .bytes(new byte[0])
            .text("sha256")
            .bytes(MessageDigest.getInstance("SHA-256").digest(MESSAGE))
            .toByteArray();
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(pair.getPrivate());
    signer.update(signed);
    byte[] sigBlob = new SshWire.Writer().text("rsa-sha2-256").bytes(signer.sign()).toByteArray();
    String armored = armor(blob("SSHSIG", 1, keyBlob, NS, "sha256", sigBlob, false));

    SshSignature.parse(armored).verify(MESSAGE, NS, SshPublicKey.fromBlob(keyBlob));

    Path allowed = dir.resolve("rsa256_allowed_signers");
    Files.writeString(allowed, "ann@example.com " + SshPublicKey.fromBlob(keyBlob).toLine() + "\n");
    assertEquals(0, OpenSsh.verify(allowed, "ann@example.com", NS, armored, MESSAGE).exitCode());

    // the same signature labelled SHA-1 (ssh-rsa) is refused as OpenSSH refuses it
    SshWire.Reader rsaSignature = new SshWire.Reader(sigBlob, "signature");
    rsaSignature.text("algorithm");
    byte[] sha1Label =
        new SshWire.Writer().text("ssh-rsa").bytes(rsaSignature.bytes("raw")).toByteArray();
    String legacy = armor(blob("SSHSIG", 1, keyBlob, NS, "sha256", sha1Label, false));
    assertRefused(
        "SHA-1",
        () -> SshSignature.parse(legacy).verify(MESSAGE, NS, SshPublicKey.fromBlob(keyBlob)));
  }

  private static byte[] signatureField(String armored) throws Exception {
    String body = armored.replace(SshSignature.BEGIN, "").replace(SshSignature.END, "");
    SshWire.Reader reader =
        new SshWire.Reader(Base64.getDecoder().decode(body.replace("\n", "")), "sig");
    reader.raw(6, "magic");
    reader.uint32("version");
    reader.bytes("key");
    reader.text("namespace");
    reader.bytes("reserved");
    reader.text("hash");
    return reader.bytes("signature");
  }

  private static byte[] blob(
      String magic, int version, byte[] key, String ns, String hash, byte[] sig, boolean extra) {
    SshWire.Writer writer =
        new SshWire.Writer()
            .raw(magic.getBytes(StandardCharsets.US_ASCII))
            .uint32(version)
            .bytes(key)
            .text(ns)
            .bytes(new byte[0])
            .text(hash)
            .bytes(sig);
    if (extra) {
      writer.raw(new byte[] {0});
    }
    return writer.toByteArray();
  }

  private static String armor(byte[] blob) {
    return SshSignature.BEGIN
        + "\n"
        + Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(blob)
        + "\n"
        + SshSignature.END
        + "\n";
  }

  private static void parseBlob(byte[] blob) throws SigningException {
    SshSignature.parse(armor(blob));
  }

  private static void assertRefused(String expected, Executable action) {
    SigningException refused = assertThrows(SigningException.class, action);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }
}
