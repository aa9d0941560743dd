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

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Output() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectMapper LINES =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  /** {@code value} as one JSON line (JSON lines: one record a line). */
  static void jsonLine(PrintWriter out, Object value) {
    try {
      out.println(LINES.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(long epochMs) {
    return epochMs == 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMs));
  }

  static String seconds(long ms) {
    return ms < 0 ? "" : String.format("%.1fs", ms / 1000.0);
  }

  static String shortSha(String sha) {
    return sha == null ? "-" : EngineNames.shortSha(sha);
  }
}
