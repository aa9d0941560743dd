package org.releaseengine.ssh;

import java.util.regex.Pattern;
import org.releaseengine.EngineNames;

/**
 * The one place where values become words of a remote shell command. Every value is checked against
 * a strict pattern of its kind and then single-quoted; a value that does not fit is refused before
 * any command is built, let alone sent.
 */
public final class ShellValues {

  public enum Kind {
    NAME(EngineNames.NAME),
    SHA(EngineNames.SHA_PREFIX),
    IMAGE(Pattern.compile(EngineNames.REPOSITORY.pattern() + "@sha256:[0-9a-f]{64}")),
    PORT(Pattern.compile("[1-9][0-9]{0,4}")),
    PATH(Pattern.compile("/[A-Za-z0-9._/-]{0,250}")),
    URL_PATH(Pattern.compile("/[A-Za-z0-9._~/-]{0,250}")),
    ADDRESS(EngineNames.ADDRESS),
    DOCKER_HOST(Pattern.compile("(unix://|tcp://)[A-Za-z0-9._/:-]{1,250}")),
    /** A volume as docker run -v takes it: a named volume or an absolute path, then the target. */
    VOLUME(
        Pattern.compile(
            "("
                + EngineNames.VOLUME_NAME.pattern()
                + "|"
                + EngineNames.ABSOLUTE_PATH.pattern()
                + "):"
                + EngineNames.ABSOLUTE_PATH.pattern()
                + "(:ro)?")),
    MEMORY(EngineNames.MEMORY),
    CPUS(EngineNames.CPUS),
    /** One word of a container's command: inside single quotes, anything but a quote is literal. */
    ARGUMENT(EngineNames.ARGUMENT),
    /** A keyed fingerprint of a container's configuration. */
    FINGERPRINT(Pattern.compile("[0-9a-f]{16,64}")),
    /** Text written into a file (nginx configuration) through printf: no quotes, no backslashes. */
    CONFIG_TEXT(Pattern.compile("[A-Za-z0-9 _.:;{}/$\"=\\n-]*")),
    /** A count, a number of seconds, a percentage, an exit code, a process id. */
    NUMBER(Pattern.compile("[0-9]{1,10}")),
    /** A line a script prints when it refuses: plain words and punctuation. */
    MESSAGE(Pattern.compile("[A-Za-z][A-Za-z0-9 ,.:()/_%-]{0,199}"));

    private final Pattern pattern;

    Kind(Pattern pattern) {
      this.pattern = pattern;
    }
  }

  private ShellValues() {}

  /** {@code value} as one single-quoted shell word, or an {@link UnsafeValue} naming what it is. */
  public static String quote(Kind kind, String what, String value) {
    if (value == null
        || !kind.pattern.matcher(value).matches()
        || (kind != Kind.CONFIG_TEXT && kind != Kind.ARGUMENT && value.contains(".."))) {
      throw new UnsafeValue(
          what
              + " '"
              + printable(value)
              + "' is not a safe "
              + kind.name().toLowerCase().replace('_', ' '));
    }
    if (kind == Kind.PORT && Integer.parseInt(value) > 65535) {
      throw new UnsafeValue(what + " " + value + " is not a port");
    }
    return "'" + value + "'";
  }

  public static String quote(Kind kind, String what, long value) {
    return quote(kind, what, Long.toString(value));
  }

  /**
   * The text of a script shipped in the jar (or a command built from quoted values) as one
   * single-quoted shell word. It is ours, not a value: it is quoted, not checked, each of its own
   * quotes closed, escaped and reopened.
   */
  public static String script(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String printable(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.replace("\n", "\\n").replace("\r", "\\r");
    return shown.length() > 80 ? shown.substring(0, 80) + "…" : shown;
  }

  /** A value that must not reach a shell. */
  public static final class UnsafeValue extends IllegalArgumentException {
    public UnsafeValue(String message) {
      super(message);
    }
  }
}
