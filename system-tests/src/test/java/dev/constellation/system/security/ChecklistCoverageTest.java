package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every line of the security checklist has at least one test against the real stack. */
class ChecklistCoverageTest {
  private static final Pattern PART_A = Pattern.compile("^\\| (A\\d+) \\|", Pattern.MULTILINE);
  private static final Pattern PART_B = Pattern.compile("^(\\d+)\\. ", Pattern.MULTILINE);

  @Test
  void everyChecklistLineHasATest() throws IOException, ClassNotFoundException {
    Set<String> lines = checklistLines();
    assertThat(lines).as("lines read from the checklist").hasSizeGreaterThan(40);
    Set<String> covered = coveredLines();
    Set<String> missing = new TreeSet<>(lines);
    missing.removeAll(covered);
    assertThat(missing).as("checklist lines without a @Checklist test").isEmpty();
    Set<String> unknown = new TreeSet<>(covered);
    unknown.removeAll(lines);
    assertThat(unknown).as("@Checklist names a line the checklist does not have").isEmpty();
  }

  private static Set<String> checklistLines() throws IOException {
    Path root =
        Path.of(System.getProperty("constellation.root", "..")).toAbsolutePath().normalize();
    String text = Files.readString(root.resolve("docs/security-checklist.md"));
    Set<String> lines = new TreeSet<>();
    Matcher a = PART_A.matcher(text);
    while (a.find()) {
      lines.add(a.group(1));
    }
    String partB = text.substring(text.indexOf("## B."));
    Matcher b = PART_B.matcher(partB);
    while (b.find()) {
      lines.add("B" + b.group(1));
    }
    return lines;
  }

  private static Set<String> coveredLines() throws IOException, ClassNotFoundException {
    Path classes = Path.of("target/test-classes");
    Set<String> covered = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, ChecklistCoverageTest.class.getClassLoader());
        Checklist onType = type.getAnnotation(Checklist.class);
        if (onType != null) {
          covered.addAll(Set.of(onType.value()));
        }
        for (Method method : type.getDeclaredMethods()) {
          Checklist onMethod = method.getAnnotation(Checklist.class);
          if (onMethod != null) {
            covered.addAll(Set.of(onMethod.value()));
          }
        }
      }
    }
    return covered;
  }
}
