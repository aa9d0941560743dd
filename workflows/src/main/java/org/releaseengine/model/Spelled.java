package org.releaseengine.model;

/**
 * A closed set whose members are written as fixed words in release.yaml, the JSON and the replay
 * histories (its {@link #value()}); the lookups by word live here once for all of them.
 */
public interface Spelled {

  /** The word this member is written as. */
  String value();

  /** The member of {@code type} written {@code value}, or null when there is none. */
  static <E extends Enum<E> & Spelled> E parse(Class<E> type, String value) {
    for (E each : type.getEnumConstants()) {
      if (each.value().equals(value)) {
        return each;
      }
    }
    return null;
  }

  /** As {@link #parse}, but a word that is no member is refused, naming {@code what} it is. */
  static <E extends Enum<E> & Spelled> E strict(Class<E> type, String value, String what) {
    E found = parse(type, value);
    if (found == null && value != null) {
      throw new IllegalArgumentException("unknown " + what + " '" + value + "'");
    }
    return found;
  }
}
