package org.releaseengine.slack;

import com.slack.api.model.block.composition.MarkdownTextObject;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Slack mrkdwn as the engine writes it: its own formatting (bold, code, its links) around values it
 * does not control, such as names, people, gate summaries and failure reasons. Each value is
 * escaped by Slack's rule ({@code &}, {@code <}, {@code >} as entities), so that a commit's text
 * reads as text, never as a mention ({@code <!channel>}, {@code <@U…>}) or a link dressed up as a
 * button ({@code <https://…|Approve>}), and is kept to one line, so that it cannot draw lines that
 * look like the engine's own (another stage "succeeded"). A value can only enter through {@link
 * #of}: there is no way to pass one in unescaped.
 */
public final class Mrkdwn {

  private static final String SLOT = "{}";

  private final String text;

  private Mrkdwn(String text) {
    this.text = text;
  }

  /**
   * {@code template} is the engine's own mrkdwn; each {@code {}} in it becomes the next of {@code
   * values}, escaped and on one line.
   */
  public static Mrkdwn of(String template, Object... values) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (Object value : values) {
      int slot = template.indexOf(SLOT, from);
      if (slot < 0) {
        throw new IllegalArgumentException("more values than {} in " + template);
      }
      out.append(template, from, slot).append(escape(String.valueOf(value).replaceAll("\\R", " ")));
      from = slot + SLOT.length();
    }
    if (template.indexOf(SLOT, from) >= 0) {
      throw new IllegalArgumentException("fewer values than {} in " + template);
    }
    return new Mrkdwn(out.append(template.substring(from)).toString());
  }

  /** The engine's lines, one under another. */
  public static Mrkdwn lines(List<Mrkdwn> lines) {
    return new Mrkdwn(lines.stream().map(Mrkdwn::text).collect(Collectors.joining("\n")));
  }

  /**
   * Slack's escaping of a text that is a value throughout (a thread reply with a failure reason, an
   * answer to a click). {@code &} first, so that an entity already in the text stays as written.
   */
  public static String escape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  public String text() {
    return text;
  }

  /**
   * As a Block Kit text object, verbatim: Slack then leaves bare words alone (no {@code @channel},
   * channel name or URL turned into a mention or a link) and still honours the engine's own
   * formatting and {@code <url|text>} links.
   */
  public MarkdownTextObject object() {
    return MarkdownTextObject.builder().text(text).verbatim(true).build();
  }

  @Override
  public String toString() {
    return text;
  }
}
