package org.releaseengine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A hosts file (properties) that sets a key twice; YAML's cases are the loaders' own tests. */
class DuplicateKeysTest {

  @Test
  void aPropertiesKeySetTwiceIsNamedWithBothLines() {
    assertEquals(
        "production-1.knownHosts: written twice (lines 2 and 5)",
        DuplicateKeys.inProperties(
            List.of(
                "production-1.privateKey=/keys/a",
                "production-1.knownHosts=/keys/known_hosts",
                "# production-1.knownHosts=/commented/out",
                "production-1.nginxPrefix=/srv/nginx",
                "  production-1.knownHosts = /tmp/attacker")));
  }

  @Test
  void commentsContinuationsAndDistinctKeysAreNotDuplicates() {
    assertNull(
        DuplicateKeys.inProperties(
            List.of(
                "a.privateKey=/keys/a",
                "! a.privateKey=/old",
                "a.nginxPrefix=/srv/\\\\",
                "b.privateKey=/keys/b \\",
                "  b.privateKey=still the value of the line above",
                "",
                "b.nginxPrefix:/srv/b")));
  }
}
