package org.releaseengine.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Test counts and failing test names from JUnit XML files (one file, or every .xml in a folder).
 */
public record JUnitResults(int tests, int failures, int skipped, List<String> failing) {

  public static JUnitResults read(Path fileOrDir) throws IOException {
    List<Path> files;
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> list = Files.list(fileOrDir)) {
        // links are skipped: the suite's container may point one at a file of the worker
        files =
            list.filter(p -> p.toString().endsWith(".xml"))
                .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .sorted()
                .toList();
      }
    } else {
      files =
          Files.isRegularFile(fileOrDir, LinkOption.NOFOLLOW_LINKS)
              ? List.of(fileOrDir)
              : List.of();
    }
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    List<String> failing = new ArrayList<>();
    for (Path file : files) {
      NodeList cases = parse(file).getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testcase = (Element) cases.item(i);
        tests++;
        if (testcase.getElementsByTagName("skipped").getLength() > 0) {
          skipped++;
        } else if (testcase.getElementsByTagName("failure").getLength() > 0
            || testcase.getElementsByTagName("error").getLength() > 0) {
          failures++;
          failing.add(testcase.getAttribute("name"));
        }
      }
    }
    return new JUnitResults(tests, failures, skipped, List.copyOf(failing));
  }

  private static Element parse(Path file) throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return builder.parse(file.toFile()).getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException(file.getFileName() + " is not JUnit XML: " + e.getMessage(), e);
    }
  }
}
