package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DecisionPayloadTest {

  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String RELEASE = SubjectNames.releaseId("web", SHA);
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final Instant TIME = Instant.parse("2025-06-01T12:00:00Z");
  static final String REQUEST = "5f0c2a9e4b7d41c3a8e6f1b2c3d4e5f6";

  private static final JacksonJsonPayloadConverter JSON = new JacksonJsonPayloadConverter();

  @Test
  void writesTheDocumentedCanonicalText() throws Exception {
    assertEquals(
        "release-engine-decision v1\n"
            + "kind=approve\n"
            + "target=release/web/0123456789abcdef0123456789abcdef01234567\n"
            + "digest=sha256:abababababababababababababababababababababababababababababababab\n"
            + "time=2025-06-01T12:00:00Z\n"
            + "requestId=5f0c2a9e4b7d41c3a8e6f1b2c3d4e5f6\n",
        DecisionPayload.of(DecisionSubject.approve(RELEASE, DIGEST), TIME, REQUEST)
            .toCanonicalText());
    assertEquals(
        "release-engine-decision v1\n"
            + "kind=rollback\n"
            + "target=env/web/production\n"
            + "sha=0123456\n"
            + "environment=production\n"
            + "time=2025-06-01T12:00:00Z\n"
            + "requestId=5f0c2a9e4b7d41c3a8e6f1b2c3d4e5f6\n",
        DecisionPayload.of(DecisionSubject.rollback("web", "production", "0123456"), TIME, REQUEST)
            .toCanonicalText());
    assertEquals(
        "release-engine-decision v1\n"
            + "kind=start\n"
            + "target=release/web/0123456789abcdef0123456789abcdef01234567\n"
            + "specHash=sha256:"
            + "cd".repeat(32)
            + "\n"
            + "time=2025-06-01T12:00:00Z\n"
            + "requestId=5f0c2a9e4b7d41c3a8e6f1b2c3d4e5f6\n",
        DecisionPayload.of(
                DecisionSubject.start(RELEASE, "sha256:" + "cd".repeat(32)), TIME, REQUEST)
            .toCanonicalText());
  }

  @Test
  void everyKindReadsBackFromItsText() throws Exception {
    for (DecisionSubject subject : subjects()) {
      DecisionPayload payload = DecisionPayload.of(subject, TIME, REQUEST);

      assertEquals(payload, DecisionPayload.parse(payload.toCanonicalText()));
      assertEquals(subject, payload.subject());
    }
  }

  @Test
  void timeIsCutToWholeSecondsAndRequestIdsAreFresh() throws Exception {
    DecisionPayload payload =
        DecisionPayload.of(
            DecisionSubject.abort(RELEASE), Instant.parse("2025-06-01T12:00:00.987Z"), REQUEST);

    assertEquals(TIME, payload.time());
    String id = DecisionPayload.newRequestId();
    assertTrue(DecisionPayload.REQUEST_ID.matcher(id).matches(), id);
    assertNotEquals(id, DecisionPayload.newRequestId());
  }

  @Test
  void parsingIsStrict() throws Exception {
    String text =
        DecisionPayload.of(DecisionSubject.abort(RELEASE), TIME, REQUEST).toCanonicalText();

    assertRefused("carriage return", () -> DecisionPayload.parse(text.replace("\n", "\r\n")));
    assertRefused("does not end with a newline", () -> DecisionPayload.parse(text.strip()));
    assertRefused(
        "does not start with 'release-engine-decision v1'",
        () -> DecisionPayload.parse(text.replace("v1", "v2")));
    assertRefused(
        "decision line 3 is not one of",
        () -> DecisionPayload.parse(text.replace("target=", "Target=")));
    assertRefused(
        "decision line 3: kind is repeated or out of order",
        () -> DecisionPayload.parse(text.replace("target=" + RELEASE, "kind=abort")));
    assertRefused(
        "decision line 3: target is repeated or out of order",
        () -> DecisionPayload.parse(text.replace("kind=abort\n", "time=" + TIME + "\n")));
    assertRefused(
        "abort decision carries no digest",
        () -> DecisionPayload.parse(text.replace("time=", "digest=" + DIGEST + "\ntime=")));
    assertRefused(
        "decision requestId is missing",
        () -> DecisionPayload.parse(text.replace("requestId=" + REQUEST + "\n", "")));
    assertRefused(
        "unknown decision kind 'merge'",
        () -> DecisionPayload.parse(text.replace("kind=abort", "kind=merge")));
    assertRefused(
        "is not whole seconds",
        () -> DecisionPayload.parse(text.replace("12:00:00Z", "12:00:00.5Z")));
    assertRefused(
        "decision time 'yesterday' is not an ISO-8601 UTC instant",
        () -> DecisionPayload.parse(text.replace("2025-06-01T12:00:00Z", "yesterday")));
    assertRefused(
        "not in canonical form",
        () -> DecisionPayload.parse(text.replace("12:00:00Z", "12:00:00+01:00")));
    assertRefused("decision line 6 is not one of", () -> DecisionPayload.parse(text + "\n"));
  }

  @Test
  void valuesCannotCarryAnotherLine() {
    assertRefused(
        "target '" + RELEASE + "?kind=approve' does not match",
        () -> DecisionPayload.of(DecisionSubject.abort(RELEASE + "\nkind=approve"), TIME, REQUEST));
    assertRefused(
        "requestId '5f0c2a9e4b7d41c3a8e6?digest=x' does not match",
        () ->
            DecisionPayload.of(
                DecisionSubject.abort(RELEASE), TIME, "5f0c2a9e4b7d41c3a8e6\ndigest=x"));
    assertThrows(
        IllegalStateException.class,
        () ->
            new DecisionPayload(
                    DecisionSubject.Kind.ABORT,
                    RELEASE + "\n",
                    null,
                    null,
                    null,
                    null,
                    TIME,
                    REQUEST)
                .toCanonicalText());
  }

  @Test
  void eachKindCarriesItsFieldsOnly() {
    assertRefused(
        "approve decision needs a digest",
        () -> DecisionPayload.of(DecisionSubject.approve(RELEASE, null), TIME, REQUEST));
    assertRefused(
        "digest 'latest' does not match",
        () -> DecisionPayload.of(DecisionSubject.promote(RELEASE, "latest"), TIME, REQUEST));
    assertRefused(
        "target 'env/web/production' does not match",
        () ->
            DecisionPayload.of(
                DecisionSubject.reject(SubjectNames.environmentId("web", "production"), DIGEST),
                TIME,
                REQUEST));
    assertRefused(
        "start decision needs a specHash",
        () -> DecisionPayload.of(DecisionSubject.start(RELEASE, null), TIME, REQUEST));
    assertRefused(
        "sha '0123' does not match",
        () ->
            DecisionPayload.of(
                DecisionSubject.rollback("web", "production", "0123"), TIME, REQUEST));
    assertRefused(
        "rollback environment 'staging' is not the one in target env/web/production",
        () ->
            DecisionPayload.of(
                new DecisionSubject(
                    DecisionSubject.Kind.ROLLBACK,
                    SubjectNames.environmentId("web", "production"),
                    null,
                    SHA,
                    "staging",
                    null),
                TIME,
                REQUEST));
    assertRefused(
        "decision time is missing",
        () -> DecisionPayload.of(DecisionSubject.abort(RELEASE), null, REQUEST));
  }

  @Test
  void travelsAsJsonInWorkflowHistories() throws Exception {
    DecisionPayload payload =
        DecisionPayload.of(DecisionSubject.approve(RELEASE, DIGEST), TIME, REQUEST);

    String json = JSON.toData(payload).orElseThrow().getData().toStringUtf8();

    assertEquals(
        "{\"kind\":\"approve\",\"target\":\""
            + RELEASE
            + "\",\"digest\":\""
            + DIGEST
            + "\","
            + "\"sha\":null,\"environment\":null,\"specHash\":null,"
            + "\"time\":\"2025-06-01T12:00:00Z\",\"requestId\":\""
            + REQUEST
            + "\"}",
        json);
    assertEquals(payload, read(json));
    assertEquals(payload, read(json.replace("{", "{\"addedLater\":1,")));
  }

  static List<DecisionSubject> subjects() {
    return List.of(
        DecisionSubject.approve(RELEASE, DIGEST),
        DecisionSubject.reject(RELEASE, DIGEST),
        DecisionSubject.promote(RELEASE, DIGEST),
        DecisionSubject.abort(RELEASE),
        DecisionSubject.start(RELEASE, "sha256:" + "cd".repeat(32)),
        DecisionSubject.rollback("web", "production", SHA));
  }

  private static DecisionPayload read(String json) {
    Payload data =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(json))
            .build();
    return JSON.fromData(data, DecisionPayload.class, DecisionPayload.class);
  }

  private static void assertRefused(String expected, Executable action) {
    SigningException refused = assertThrows(SigningException.class, action);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }
}
