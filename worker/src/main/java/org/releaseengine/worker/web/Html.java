package org.releaseengine.worker.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds an HTML page. Every value goes through {@link #text}: service names, summaries and
 * comments come from release.yaml files and commits, so none of them is ever written raw.
 */
final class Html {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder();

  /** Markup written as is: only literals of this package, never a value. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** A value, escaped for element content and quoted attributes alike. */
  Html text(Object value) {
    out.append(escape(value == null ? "" : String.valueOf(value)));
    return this;
  }

  /** {@code <tag>value</tag>} with the value escaped. */
  Html element(String tag, Object value) {
    return raw("<" + tag + ">").text(value).raw("</" + tag.split(" ")[0] + ">");
  }

  /** A link whose address and label are both escaped. */
  Html link(String href, Object label) {
    return raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Epoch milliseconds as people read them; 0 is "-". */
  static String time(long epochMs) {
    return epochMs <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMs));
  }

  /** A query-string value. */
  static String param(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
