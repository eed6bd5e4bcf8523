package dev.constellation.system.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadTerminalTest {

  @Test
  void outputDrawnByScrollingUpIsALineOfItsOwn() {
    // As tmux sent it in the 100-user run: the answer after "scroll up 2, cursor up", no newline.
    String drawn =
        "dev@e02ab0f1d71e:/workspace$ echo t4-21\r\u001b[2S\u001b[At4-21\u001b[K\r\n"
            + "dev@e02ab0f1d71e:/workspace$ \u001b[K";
    assertThat(LoadTerminal.plain(drawn)).containsPattern("(?m)^t4-21\\s*$");
    assertThat(LoadTerminal.plain(drawn)).contains("echo t4-21");
  }

  @Test
  void colouredOutputIsPlainText() {
    assertThat(LoadTerminal.plain("\u001b[?2004l\u001b[1;32mready-3\u001b[0m\r\n"))
        .isEqualTo("ready-3\n");
  }
}
