package org.releaseengine.signing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An OpenSSH allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS): one key per line, preceded by
 * the principals that may sign with it and optional {@code namespaces="…"}, {@code
 * valid-after="…"}, {@code valid-before="…"} and {@code cert-authority}. Comments ({@code #}) and
 * blank lines are skipped.
 *
 * <p>Two deliberate differences from OpenSSH, both refusing rather than guessing: a time without
 * {@code Z} (or {@code UTC}) is an error, since OpenSSH would read it in the verifying machine's
 * local time zone; and {@code cert-authority} lines parse but trust no key, because certificates
 * are not accepted here (a signature made with a certificate is refused as an unsupported key
 * type). The whole file is refused at its first malformed line, naming that line.
 *
 * <p>Parsing takes the text, never a path, and lookups take the instant: the same file and time
 * give the same answer wherever it is asked.
 */
public final class AllowedSigners {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("uuuuMMddHHmm").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

  /**
   * One line of the file. {@code principals} and {@code namespaces} are OpenSSH pattern-lists as
   * written; {@code namespaces} and the two instants are null when the line does not restrict them.
   */
  public record Entry(
      int line,
      String principals,
      boolean certAuthority,
      String namespaces,
      Instant validAfter,
      Instant validBefore,
      SshPublicKey key) {

    public boolean matchesPrincipal(String principal) {
      return SshPatterns.matchesList(principal, principals);
    }

    public boolean allowsNamespace(String namespace) {
      return namespaces == null || SshPatterns.matchesList(namespace, namespaces);
    }

    /** Valid at or after {@code validAfter} and at or before {@code validBefore}, as OpenSSH. */
    public boolean validAt(Instant instant) {
      return (validAfter == null || !instant.isBefore(validAfter))
          && (validBefore == null || !instant.isAfter(validBefore));
    }

    /** The principals written without wildcard or negation that this line allows. */
    public List<String> literalPrincipals() {
      return List.of(principals.split(",")).stream()
          .filter(SshPatterns::isLiteral)
          .filter(this::matchesPrincipal)
          .toList();
    }
  }

  private final List<Entry> entries;

  private AllowedSigners(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Parses the file's text; the first malformed line is refused as {@code line N: why}. */
  public static AllowedSigners parse(String text) throws SigningException {
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      try {
        Entry entry = parseLine(i + 1, line);
        if (entry != null) {
          entries.add(entry);
        }
      } catch (SigningException e) {
        throw new SigningException("allowed_signers line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new AllowedSigners(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The lines that list {@code key} itself (cert-authority lines never do). */
  public List<Entry> entriesFor(SshPublicKey key) {
    return entries.stream().filter(e -> !e.certAuthority() && e.key().equals(key)).toList();
  }

  /** The lines that let {@code key} sign in {@code namespace} at {@code instant}. */
  public List<Entry> allowing(SshPublicKey key, String namespace, Instant instant) {
    return entriesFor(key).stream()
        .filter(e -> e.allowsNamespace(namespace) && e.validAt(instant))
        .toList();
  }

  /**
   * The principal patterns {@code key} belongs to for {@code namespace} at {@code instant}, in file
   * order without repeats; empty when the key may not sign there and then.
   */
  public List<String> principalsFor(SshPublicKey key, String namespace, Instant instant) {
    Set<String> principals = new LinkedHashSet<>();
    for (Entry entry : allowing(key, namespace, instant)) {
      principals.addAll(List.of(entry.principals().split(",")));
    }
    return List.copyOf(principals);
  }

  // format: principals [options] keytype base64 [comment]
  private static Entry parseLine(int number, String line) throws SigningException {
    Cursor cursor = new Cursor(line);
    cursor.skipSpace();
    if (cursor.atEnd() || cursor.peek() == '#') {
      return null;
    }
    String principals = cursor.principals();
    cursor.skipSpace();
    if (cursor.atEnd()) {
      throw new SigningException("no key after the principals");
    }
    String token = cursor.token();
    Options options = new Options();
    if (!SshPublicKey.isKeyTypeName(token)) {
      options.parse(token);
      cursor.skipSpace();
      token = cursor.token();
      if (token.isEmpty()) {
        throw new SigningException("no key after the options");
      }
      if (!SshPublicKey.isKeyTypeName(token)) {
        throw new SigningException("unknown key type '" + token + "'");
      }
    }
    cursor.skipSpace();
    String base64 = cursor.token();
    if (base64.isEmpty()) {
      throw new SigningException("no base64 key after the key type " + token);
    }
    SshPublicKey key = SshPublicKey.parse(token, base64);
    return new Entry(
        number,
        principals,
        options.certAuthority,
        options.namespaces,
        options.validAfter,
        options.validBefore,
        key);
  }

  /** Reads a line left to right: whitespace, bare or double-quoted tokens. */
  private static final class Cursor {
    private final String line;
    private int position;

    Cursor(String line) {
      this.line = line;
    }

    boolean atEnd() {
      return position >= line.length();
    }

    char peek() {
      return line.charAt(position);
    }

    void skipSpace() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        position++;
      }
    }

    /** The principals field: up to whitespace, or a whole double-quoted string. */
    String principals() throws SigningException {
      String value;
      if (peek() == '"') {
        int close = line.indexOf('"', position + 1);
        if (close < 0) {
          throw new SigningException("principals have no closing quote");
        }
        value = line.substring(position + 1, close);
        position = close + 1;
      } else {
        value = token();
      }
      if (value.isEmpty()) {
        throw new SigningException("no principals");
      }
      return value;
    }

    /** Up to the next whitespace outside double quotes. */
    String token() throws SigningException {
      int start = position;
      boolean quoted = false;
      while (!atEnd() && (quoted || (peek() != ' ' && peek() != '\t'))) {
        if (peek() == '\\' && quoted && position + 1 < line.length()) {
          position++;
        } else if (peek() == '"') {
          quoted = !quoted;
        }
        position++;
      }
      if (quoted) {
        throw new SigningException("a quoted value has no closing quote");
      }
      return line.substring(start, position);
    }
  }

  /** The comma-separated options before the key, keywords case-insensitive as in OpenSSH. */
  private static final class Options {
    boolean certAuthority;
    String namespaces;
    Instant validAfter;
    Instant validBefore;

    void parse(String text) throws SigningException {
      int position = 0;
      while (true) {
        int equals = text.indexOf('=', position);
        int comma = text.indexOf(',', position);
        boolean hasValue = equals >= 0 && (comma < 0 || equals < comma);
        String keyword =
            text.substring(position, hasValue ? equals : comma < 0 ? text.length() : comma);
        String name = keyword.toLowerCase(Locale.ROOT);
        String value = null;
        if (hasValue) {
          int[] end = new int[1];
          value = dequote(text, equals + 1, name, end);
          position = end[0];
        } else {
          position += keyword.length();
        }
        apply(name, keyword, value);
        if (position == text.length()) {
          break;
        }
        if (text.charAt(position) != ',') {
          throw new SigningException("unexpected text after option " + name);
        }
        position++;
        if (position == text.length()) {
          throw new SigningException("options end with a comma");
        }
      }
      if (validAfter != null && validBefore != null && !validBefore.isAfter(validAfter)) {
        throw new SigningException("valid-before is not after valid-after");
      }
    }

    private void apply(String name, String keyword, String value) throws SigningException {
      switch (name) {
        case "cert-authority" -> {
          if (value != null) {
            throw new SigningException("cert-authority takes no value");
          }
          certAuthority = true;
        }
        case "namespaces" -> {
          requireValue(name, value, namespaces);
          if (value.isEmpty()) {
            throw new SigningException("namespaces is empty");
          }
          namespaces = value;
        }
        case "valid-after" -> {
          requireValue(name, value, validAfter);
          validAfter = time(name, value);
        }
        case "valid-before" -> {
          requireValue(name, value, validBefore);
          validBefore = time(name, value);
        }
        default ->
            throw new SigningException(
                "unknown option '"
                    + keyword
                    + "' (known: cert-authority, namespaces, valid-after, valid-before)");
      }
    }

    private static void requireValue(String name, String value, Object earlier)
        throws SigningException {
      if (value == null) {
        throw new SigningException(name + " needs a value: " + name + "=\"…\"");
      }
      if (earlier != null) {
        throw new SigningException(name + " is given twice");
      }
    }

    /** A double-quoted value from {@code start}, with {@code \"} for a quote; as OpenSSH. */
    private static String dequote(String text, int start, String name, int[] end)
        throws SigningException {
      if (start >= text.length() || text.charAt(start) != '"') {
        throw new SigningException(name + " value must be in double quotes");
      }
      StringBuilder value = new StringBuilder();
      int i = start + 1;
      while (i < text.length() && text.charAt(i) != '"') {
        if (text.charAt(i) == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          i++;
        }
        value.append(text.charAt(i++));
      }
      if (i >= text.length()) {
        throw new SigningException(name + " value has no closing quote");
      }
      end[0] = i + 1;
      return value.toString();
    }

    /** YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, ending in Z or UTC. */
    private static Instant time(String name, String value) throws SigningException {
      String upper = value.toUpperCase(Locale.ROOT);
      String digits;
      if (upper.endsWith("UTC")) {
        digits = value.substring(0, value.length() - 3);
      } else if (upper.endsWith("Z")) {
        digits = value.substring(0, value.length() - 1);
      } else {
        throw new SigningException(
            name + " \"" + value + "\" has no time zone: end it with Z (UTC)");
      }
      try {
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new DateTimeParseException("not digits", digits, 0);
        }
        LocalDateTime local =
            switch (digits.length()) {
              case 8 -> LocalDate.parse(digits, DAY).atStartOfDay();
              case 12 -> LocalDateTime.parse(digits, MINUTE);
              case 14 -> LocalDateTime.parse(digits, SECOND);
              default -> throw new DateTimeParseException("length", digits, 0);
            };
        return local.toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new SigningException(name + " \"" + value + "\" is not YYYYMMDD[HHMM[SS]]Z");
      }
    }
  }
}
