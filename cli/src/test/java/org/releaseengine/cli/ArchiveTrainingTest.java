package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTrainingTest {

  @Test
  void theClassListLosesOnlyLambdasThatWouldLinkPicocli(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("release-cli.classlist");
    String picocliLambda =
        "@lambda-proxy org/releaseengine/cli/ReleaseCli handleParseException"
            + " (Ljava/io/PrintWriter;)Lpicocli/CommandLine$IParameterExceptionHandler;";
    String otherLambda =
        "@lambda-proxy org/releaseengine/cli/Releases get (Ljava/lang/String;)"
            + "Ljava/util/function/Supplier;";
    Files.write(
        list,
        List.of(
            "java/lang/Object id: 0",
            "picocli/CommandLine",
            picocliLambda,
            otherLambda,
            "org/releaseengine/cli/StatusCommand"));

    ArchiveTraining.main(new String[] {"--filter", list.toString()});

    assertEquals(
        List.of(
            "java/lang/Object id: 0",
            "picocli/CommandLine",
            otherLambda,
            "org/releaseengine/cli/StatusCommand"),
        Files.readAllLines(list));
  }
}
