package org.releaseengine.process;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Replaces the secret values the worker holds (its Slack token and signing secret, its SSH keys'
 * lines, …) with {@link #MASK} in text bound for histories, status and Slack. Gate commands never
 * see these values; this is the second line of defence should one reach them anyway.
 */
public final class SecretRedactor implements UnaryOperator<String> {

  public static final String MASK = "[redacted]";

  /** Values shorter than this are too common to be told apart from ordinary text. */
  static final int MIN_LENGTH = 8;

  private static final SecretRedactor NONE = new SecretRedactor(List.of());

  private final List<String> secrets;

  private SecretRedactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Redacts each of {@code secrets} that is at least {@link #MIN_LENGTH} characters long. */
  public static SecretRedactor of(Collection<String> secrets) {
    return new SecretRedactor(
        secrets.stream()
            .filter(s -> s != null && s.strip().length() >= MIN_LENGTH)
            .map(String::strip)
            .distinct()
            // longest first, so a secret that contains another is masked whole
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList());
  }

  /** Redacts nothing. */
  public static SecretRedactor none() {
    return NONE;
  }

  /** How many values it redacts. */
  public int size() {
    return secrets.size();
  }

  @Override
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}
