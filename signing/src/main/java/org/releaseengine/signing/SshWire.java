package org.releaseengine.signing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The SSH wire encoding (RFC 4251 section 5) that keys and SSHSIG blobs are made of: big-endian
 * uint32 lengths before byte strings and two's-complement mpints. Reading never trusts a length: a
 * field that runs past the end is refused with the name of that field.
 */
final class SshWire {

  private SshWire() {}

  /** Reads the fields of one blob in order; {@link #end} checks that nothing is left over. */
  static final class Reader {
    private final byte[] data;
    private final String what;
    private int position;

    Reader(byte[] data, String what) {
      this.data = data;
      this.what = what;
    }

    int uint32(String field) throws SigningException {
      if (data.length - position < 4) {
        throw new SigningException(what + " is truncated before its " + field);
      }
      int value =
          ((data[position] & 0xff) << 24)
              | ((data[position + 1] & 0xff) << 16)
              | ((data[position + 2] & 0xff) << 8)
              | (data[position + 3] & 0xff);
      position += 4;
      return value;
    }

    byte[] bytes(String field) throws SigningException {
      int length = uint32(field);
      if (length < 0 || length > data.length - position) {
        throw new SigningException(what + " is truncated in its " + field);
      }
      byte[] value = new byte[length];
      System.arraycopy(data, position, value, 0, length);
      position += length;
      return value;
    }

    /** A string field that must be printable ASCII: key types, namespaces, algorithm names. */
    String text(String field) throws SigningException {
      byte[] raw = bytes(field);
      for (byte b : raw) {
        if (b < 0x20 || b > 0x7e) {
          throw new SigningException(what + " has a " + field + " that is not printable text");
        }
      }
      return new String(raw, StandardCharsets.US_ASCII);
    }

    /** A non-negative mpint (all that keys and signatures carry). */
    BigInteger mpint(String field) throws SigningException {
      byte[] raw = bytes(field);
      if (raw.length > 0 && (raw[0] & 0x80) != 0) {
        throw new SigningException(what + " has a negative " + field);
      }
      return new BigInteger(1, raw);
    }

    byte[] raw(int length, String field) throws SigningException {
      if (data.length - position < length) {
        throw new SigningException(what + " is truncated before its " + field);
      }
      byte[] value = new byte[length];
      System.arraycopy(data, position, value, 0, length);
      position += length;
      return value;
    }

    void end() throws SigningException {
      if (position != data.length) {
        throw new SigningException(
            what + " has " + (data.length - position) + " unexpected trailing bytes");
      }
    }
  }

  /** Builds a blob field by field. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer raw(byte[] value) {
      out.writeBytes(value);
      return this;
    }

    Writer uint32(int value) {
      out.write(value >>> 24);
      out.write(value >>> 16);
      out.write(value >>> 8);
      out.write(value);
      return this;
    }

    Writer bytes(byte[] value) {
      uint32(value.length);
      out.writeBytes(value);
      return this;
    }

    Writer text(String value) {
      return bytes(value.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
