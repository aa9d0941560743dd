package org.releaseengine.signing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text a person signs for one decision. Its canonical form (what {@code ssh-keygen -Y sign -n
 * release-engine} signs) is a header line and then {@code key=value} lines in this fixed order,
 * each ending in a newline, with only the keys the kind carries:
 *
 * <pre>
 * release-engine-decision v1
 * kind=approve
 * target=release/web/0123456789abcdef0123456789abcdef01234567
 * digest=sha256:…
 * sha=…
 * environment=…
 * specHash=…
 * time=2025-06-01T12:00:00Z
 * requestId=5f0c…
 * </pre>
 *
 * Every value matches a pattern without spaces or line breaks, so no value can forge another line.
 * {@code time} is whole seconds in UTC; {@code requestId} is random and used once.
 *
 * <p>The record travels in workflow histories as JSON; it is checked by {@link #validate()} rather
 * than in its constructor, so that a bad payload read from a history is refused with a reason
 * instead of failing to deserialize.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DecisionPayload(
    DecisionSubject.Kind kind,
    String target,
    String digest,
    String sha,
    String environment,
    String specHash,
    Instant time,
    String requestId) {

  /** The SSHSIG namespace of every decision signature. */
  public static final String NAMESPACE = "release-engine";

  /** The first line of the canonical text; a new layout gets a new version. */
  public static final String HEADER = "release-engine-decision v1";

  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final List<String> KEYS =
      List.of("kind", "target", "digest", "sha", "environment", "specHash", "time", "requestId");
  private static final int MAX_TEXT_LENGTH = 4096;
  private static final long MAX_EPOCH = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A payload for {@code subject}, signed now ({@code time} is cut to whole seconds). */
  public static DecisionPayload of(DecisionSubject subject, Instant time, String requestId)
      throws SigningException {
    DecisionPayload payload =
        new DecisionPayload(
            subject.kind(),
            subject.target(),
            subject.digest(),
            subject.sha(),
            subject.environment(),
            subject.specHash(),
            time == null ? null : time.truncatedTo(ChronoUnit.SECONDS),
            requestId);
    payload.validate();
    return payload;
  }

  /** 128 random bits in hex, for a new request; it draws from SecureRandom (not workflow code). */
  public static String newRequestId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /** What the decision is about, to compare with what a verifier expects. */
  public DecisionSubject subject() {
    return new DecisionSubject(kind, target, digest, sha, environment, specHash);
  }

  /** Refuses, naming the field, a payload that has no canonical text. */
  public void validate() throws SigningException {
    subject().validate();
    if (time == null) {
      throw new SigningException("decision time is missing");
    }
    if (time.getNano() != 0 || time.isBefore(Instant.EPOCH) || time.getEpochSecond() > MAX_EPOCH) {
      throw new SigningException(
          "decision time " + time + " is not whole seconds between 1970 and 9999");
    }
    if (requestId == null) {
      throw new SigningException("decision requestId is missing");
    }
    if (!REQUEST_ID.matcher(requestId).matches()) {
      throw new SigningException(
          "requestId '"
              + DecisionSubject.printable(requestId)
              + "' does not match "
              + REQUEST_ID.pattern());
    }
  }

  /** The exact text that is signed; a payload that does not {@link #validate()} has none. */
  public String toCanonicalText() {
    try {
      validate();
    } catch (SigningException e) {
      throw new IllegalStateException("not a valid decision payload: " + e.getMessage());
    }
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    Map<String, String> values = values();
    for (String key : KEYS) {
      if (values.get(key) != null) {
        text.append(key).append('=').append(values.get(key)).append('\n');
      }
    }
    return text.toString();
  }

  /** {@link #toCanonicalText()} in UTF-8 (all of it ASCII): the message under the signature. */
  public byte[] canonicalBytes() {
    return toCanonicalText().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a canonical text back; refuses anything that is not exactly what {@link
   * #toCanonicalText()} would write (other header, unknown, repeated or reordered keys, missing or
   * stray fields, carriage returns, no final newline).
   */
  public static DecisionPayload parse(String text) throws SigningException {
    if (text == null || text.isEmpty()) {
      throw new SigningException("decision text is empty");
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new SigningException("decision text is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    if (text.indexOf('\r') >= 0) {
      throw new SigningException("decision text contains a carriage return");
    }
    if (!text.endsWith("\n")) {
      throw new SigningException("decision text does not end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new SigningException("decision text does not start with '" + HEADER + "'");
    }
    Map<String, String> values = new LinkedHashMap<>();
    int last = -1;
    for (int i = 1; i < lines.length; i++) {
      int equals = lines[i].indexOf('=');
      String key = equals < 0 ? lines[i] : lines[i].substring(0, equals);
      int order = KEYS.indexOf(key);
      if (equals < 0 || order < 0) {
        throw new SigningException(
            "decision line " + (i + 1) + " is not one of " + String.join(", ", KEYS) + " =value");
      }
      if (order <= last) {
        throw new SigningException(
            "decision line " + (i + 1) + ": " + key + " is repeated or out of order");
      }
      last = order;
      values.put(key, lines[i].substring(equals + 1));
    }
    DecisionPayload payload =
        new DecisionPayload(
            values.get("kind") == null ? null : kind(values.get("kind")),
            values.get("target"),
            values.get("digest"),
            values.get("sha"),
            values.get("environment"),
            values.get("specHash"),
            values.get("time") == null ? null : time(values.get("time")),
            values.get("requestId"));
    payload.validate();
    if (!payload.toCanonicalText().equals(text)) {
      throw new SigningException("decision text is not in canonical form");
    }
    return payload;
  }

  private Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("kind", kind == null ? null : kind.value());
    values.put("target", target);
    values.put("digest", digest);
    values.put("sha", sha);
    values.put("environment", environment);
    values.put("specHash", specHash);
    values.put("time", time == null ? null : time.toString());
    values.put("requestId", requestId);
    return values;
  }

  private static DecisionSubject.Kind kind(String value) throws SigningException {
    try {
      return DecisionSubject.Kind.of(value);
    } catch (IllegalArgumentException e) {
      throw new SigningException(e.getMessage());
    }
  }

  private static Instant time(String value) throws SigningException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new SigningException(
          "decision time '"
              + DecisionSubject.printable(value)
              + "' is not an ISO-8601 UTC instant");
    }
  }
}
