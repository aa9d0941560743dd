package org.releaseengine.signing;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.KeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * The SSH key types this package verifies, each with how its public key blob is decoded into a
 * java.security key and how its SSH signature blob is checked. Only the JDK's own providers are
 * used: Ed25519, ECDSA over the NIST curves, RSA with SHA-2.
 */
enum SshKeyType {
  ED25519("ssh-ed25519") {
    // an Ed25519 SubjectPublicKeyInfo is this fixed DER prefix followed by the 32-byte key
    private final byte[] x509Prefix = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    @Override
    PublicKey decode(SshWire.Reader blob) throws SigningException {
      byte[] point = blob.bytes("Ed25519 key");
      if (point.length != 32) {
        throw new SigningException("ssh-ed25519 key has " + point.length + " bytes, not 32");
      }
      byte[] encoded = Arrays.copyOf(x509Prefix, x509Prefix.length + 32);
      System.arraycopy(point, 0, encoded, x509Prefix.length, 32);
      return generate("Ed25519", new X509EncodedKeySpec(encoded));
    }

    @Override
    boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException {
      SshWire.Reader sig = new SshWire.Reader(signatureBlob, "signature");
      expectAlgorithm(sig.text("signature algorithm"), Set.of(sshName()));
      byte[] raw = sig.bytes("Ed25519 signature");
      sig.end();
      if (raw.length != 64) {
        throw new SigningException("Ed25519 signature has " + raw.length + " bytes, not 64");
      }
      return check("Ed25519", key, data, raw);
    }
  },

  ECDSA_P256("ecdsa-sha2-nistp256") {
    @Override
    PublicKey decode(SshWire.Reader blob) throws SigningException {
      return decodeEcdsa(blob, "nistp256", "secp256r1");
    }

    @Override
    boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException {
      return verifyEcdsa(key, data, signatureBlob, 32, "SHA256withECDSAinP1363Format");
    }
  },

  ECDSA_P384("ecdsa-sha2-nistp384") {
    @Override
    PublicKey decode(SshWire.Reader blob) throws SigningException {
      return decodeEcdsa(blob, "nistp384", "secp384r1");
    }

    @Override
    boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException {
      return verifyEcdsa(key, data, signatureBlob, 48, "SHA384withECDSAinP1363Format");
    }
  },

  ECDSA_P521("ecdsa-sha2-nistp521") {
    @Override
    PublicKey decode(SshWire.Reader blob) throws SigningException {
      return decodeEcdsa(blob, "nistp521", "secp521r1");
    }

    @Override
    boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException {
      return verifyEcdsa(key, data, signatureBlob, 66, "SHA512withECDSAinP1363Format");
    }
  },

  RSA("ssh-rsa") {
    @Override
    PublicKey decode(SshWire.Reader blob) throws SigningException {
      BigInteger exponent = blob.mpint("RSA exponent");
      BigInteger modulus = blob.mpint("RSA modulus");
      if (exponent.signum() <= 0 || !exponent.testBit(0) || modulus.signum() <= 0) {
        throw new SigningException("ssh-rsa key has an invalid exponent or modulus");
      }
      return generate("RSA", new RSAPublicKeySpec(modulus, exponent));
    }

    @Override
    String unusable(PublicKey key) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      return bits < MIN_RSA_BITS
          ? "ssh-rsa key of " + bits + " bits is too weak (" + MIN_RSA_BITS + " bits at least)"
          : null;
    }

    @Override
    boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException {
      SshWire.Reader sig = new SshWire.Reader(signatureBlob, "signature");
      String algorithm = sig.text("signature algorithm");
      if (algorithm.equals("ssh-rsa")) {
        throw new SigningException("RSA signature uses SHA-1 (ssh-rsa); rsa-sha2-512 is needed");
      }
      expectAlgorithm(algorithm, Set.of("rsa-sha2-256", "rsa-sha2-512"));
      byte[] raw = sig.bytes("RSA signature");
      sig.end();
      // OpenSSH accepts a signature shorter than the modulus (leading zeros dropped); the JDK
      // wants exactly the modulus length
      int length = (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8;
      if (raw.length > length) {
        throw new SigningException("RSA signature is longer than the key's modulus");
      }
      byte[] padded = new byte[length];
      System.arraycopy(raw, 0, padded, length - raw.length, raw.length);
      String jdkName = algorithm.equals("rsa-sha2-256") ? "SHA256withRSA" : "SHA512withRSA";
      return check(jdkName, key, data, padded);
    }
  };

  static final int MIN_RSA_BITS = 2048;

  /** Key types OpenSSH knows but this package does not verify: refused with this reason. */
  static final Set<String> KNOWN_UNSUPPORTED =
      Set.of(
          "ssh-dss",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com",
          "ssh-ed25519-cert-v01@openssh.com",
          "ecdsa-sha2-nistp256-cert-v01@openssh.com",
          "ecdsa-sha2-nistp384-cert-v01@openssh.com",
          "ecdsa-sha2-nistp521-cert-v01@openssh.com",
          "ssh-rsa-cert-v01@openssh.com",
          "ssh-dss-cert-v01@openssh.com",
          "sk-ssh-ed25519-cert-v01@openssh.com",
          "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com");

  static final String SUPPORTED =
      "ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa";

  private final String sshName;

  SshKeyType(String sshName) {
    this.sshName = sshName;
  }

  /** The name OpenSSH writes for this type (first field of a public key line). */
  String sshName() {
    return sshName;
  }

  static SshKeyType named(String sshName) {
    for (SshKeyType type : values()) {
      if (type.sshName.equals(sshName)) {
        return type;
      }
    }
    return null;
  }

  /** Decodes the fields after the type name of a public key blob. */
  abstract PublicKey decode(SshWire.Reader blob) throws SigningException;

  /** Why a key that decoded is still not accepted, or null. */
  String unusable(PublicKey key) {
    return null;
  }

  /**
   * Whether {@code signatureBlob} (the SSH signature encoding: algorithm name, then the raw
   * signature) is a signature by {@code key} over {@code data}; malformed blobs are refused.
   */
  abstract boolean verify(PublicKey key, byte[] data, byte[] signatureBlob) throws SigningException;

  private static PublicKey generate(String algorithm, KeySpec spec) throws SigningException {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(spec);
    } catch (GeneralSecurityException e) {
      throw new SigningException("invalid " + algorithm + " public key: " + e.getMessage());
    }
  }

  private static void expectAlgorithm(String algorithm, Set<String> allowed)
      throws SigningException {
    if (!allowed.contains(algorithm)) {
      throw new SigningException(
          "signature algorithm "
              + algorithm
              + " does not fit the key (expected one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ")");
    }
  }

  private static boolean check(String jdkName, PublicKey key, byte[] data, byte[] raw)
      throws SigningException {
    try {
      Signature verifier = Signature.getInstance(jdkName);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(raw);
    } catch (java.security.SignatureException e) {
      return false; // an encoding the provider cannot even read is not a valid signature
    } catch (GeneralSecurityException e) {
      throw new SigningException("cannot verify " + jdkName + ": " + e.getMessage());
    }
  }

  PublicKey decodeEcdsa(SshWire.Reader blob, String curveName, String jdkCurve)
      throws SigningException {
    String curve = blob.text("curve name");
    if (!curve.equals(curveName)) {
      throw new SigningException(sshName + " key names curve " + curve + ", not " + curveName);
    }
    byte[] point = blob.bytes("curve point");
    ECParameterSpec params = curveParameters(jdkCurve);
    int size = fieldSize(params);
    if (point.length != 1 + 2 * size || point[0] != 0x04) {
      throw new SigningException(sshName + " key is not an uncompressed point on " + curveName);
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length));
    if (!onCurve(params.getCurve(), x, y)) {
      throw new SigningException(sshName + " key is not a point on " + curveName);
    }
    return generate("EC", new ECPublicKeySpec(new ECPoint(x, y), params));
  }

  boolean verifyEcdsa(PublicKey key, byte[] data, byte[] signatureBlob, int size, String jdkName)
      throws SigningException {
    SshWire.Reader sig = new SshWire.Reader(signatureBlob, "signature");
    expectAlgorithm(sig.text("signature algorithm"), Set.of(sshName));
    SshWire.Reader inner = new SshWire.Reader(sig.bytes("ECDSA signature"), "ECDSA signature");
    sig.end();
    BigInteger r = inner.mpint("r");
    BigInteger s = inner.mpint("s");
    inner.end();
    if (r.signum() == 0
        || s.signum() == 0
        || r.bitLength() > size * 8
        || s.bitLength() > size * 8) {
      return false;
    }
    byte[] raw = new byte[2 * size];
    put(r, raw, 0, size);
    put(s, raw, size, size);
    return check(jdkName, key, data, raw);
  }

  private static void put(BigInteger value, byte[] target, int offset, int size) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > size ? bytes.length - size : 0; // the sign byte of a full-width value
    System.arraycopy(
        bytes, skip, target, offset + size - (bytes.length - skip), bytes.length - skip);
  }

  private static ECParameterSpec curveParameters(String jdkCurve) throws SigningException {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(jdkCurve));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new SigningException("curve " + jdkCurve + " is not available: " + e.getMessage());
    }
  }

  private static int fieldSize(ECParameterSpec params) {
    return (params.getCurve().getField().getFieldSize() + 7) / 8;
  }

  // y^2 = x^3 + ax + b (mod p): a key off the curve is refused before the JDK sees it
  private static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return left.equals(right);
  }
}
