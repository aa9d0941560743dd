package org.releaseengine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.releaseengine.EngineNames;

/**
 * Where commands write: text for people, or one JSON document for scripts ({@code --output json}).
 */
final class Output {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Output() {}

  /** The writers, made when a command writes JSON (a person's text output needs neither). */
  private static final class Json {
    static final ObjectMapper DOCUMENT =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper LINES =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  }

  static void json(PrintWriter out, Object value) {
    try {
      out.println(Json.DOCUMENT.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code value} as one JSON line (JSON lines: one record a line). */
  static void jsonLine(PrintWriter out, Object value) {
    try {
      out.println(Json.LINES.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(long epochMs) {
    return epochMs == 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMs));
  }

  /** {@code ms} in seconds to a tenth, rounded half up ("1.3s"); empty when negative. */
  static String seconds(long ms) {
    if (ms < 0) {
      return "";
    }
    long tenths = (ms + 50) / 100; // integer arithmetic: no number format, no locale to load
    return tenths / 10 + "." + tenths % 10 + "s";
  }

  static String shortSha(String sha) {
    return sha == null ? "-" : EngineNames.shortSha(sha);
  }
}
