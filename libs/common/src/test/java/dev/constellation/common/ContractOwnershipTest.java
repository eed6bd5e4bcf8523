package dev.constellation.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Contracts two services share have one owner, here. A string constant is inlined by the compiler,
 * so ArchUnit cannot see who names it: the shipped sources of every module are read instead.
 */
class ContractOwnershipTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path TICKET_OWNER =
      Path.of("libs/common/src/main/java/dev/constellation/common/terminal/TicketKeys.java");

  @Test
  void nobodyButTheTicketContractNamesTheTicketKey() throws IOException {
    List<Path> sources = mainSources();
    assertThat(sources).as("sources found under " + ROOT).anyMatch(p -> p.endsWith(TICKET_OWNER));
    List<String> offenders =
        sources.stream()
            .filter(p -> !p.endsWith(TICKET_OWNER))
            .filter(p -> read(p).contains("terminal-ticket"))
            .map(p -> ROOT.relativize(p).toString())
            .toList();
    assertThat(offenders)
        .as(
            "the terminal ticket's Redis key is spelt only in libs/common TicketKeys; use TerminalTickets "
                + "or ReactiveTerminalTickets, or the two sides drift apart again")
        .isEmpty();
  }

  private static List<Path> mainSources() throws IOException {
    try (Stream<Path> walk =
        Stream.of(ROOT.resolve("libs"), ROOT.resolve("services"))
            .flatMap(ContractOwnershipTest::walk)) {
      return walk.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/"))
          .toList();
    }
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
