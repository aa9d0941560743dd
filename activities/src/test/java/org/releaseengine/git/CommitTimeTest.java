package org.releaseengine.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.process.Commands;

/** The commit time a build records: from the checked-out commit, as git tells it. */
class CommitTimeTest {

  @TempDir Path dir;

  @Test
  void aCheckoutTellsItsCommitsTime() throws Exception {
    Map<String, String> env =
        Map.of(
            "GIT_COMMITTER_DATE", "1700000000 +0000",
            "GIT_AUTHOR_DATE", "1600000000 +0000",
            "GIT_AUTHOR_NAME", "t",
            "GIT_AUTHOR_EMAIL", "t@example.com",
            "GIT_COMMITTER_NAME", "t",
            "GIT_COMMITTER_EMAIL", "t@example.com");
    java.time.Duration t = java.time.Duration.ofSeconds(30);
    Commands.run(dir, env, t, List.of("git", "init", "--quiet", "."));
    Files.writeString(dir.resolve("a.txt"), "a");
    Commands.run(dir, env, t, List.of("git", "add", "a.txt"));
    Commands.run(dir, env, t, List.of("git", "commit", "--quiet", "-m", "a"));
    String sha = Commands.run(dir, env, t, List.of("git", "rev-parse", "HEAD")).tail().strip();

    try (GitCheckout checkout = GitCheckout.of(dir.toString(), sha)) {
      assertEquals(1_700_000_000_000L, checkout.commitTimeMs(), "the committer's time");
    }
  }

  @Test
  void onlyEpochSecondsParse() {
    assertEquals(1_700_000_000_000L, CommitTime.parseSeconds(" 1700000000\n"));
    assertNull(CommitTime.parseSeconds("yesterday"));
    assertNull(CommitTime.parseSeconds(null));
  }
}
