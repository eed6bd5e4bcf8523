package dev.constellation.workspace.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListeningSocketsTest {
  // Real rows (cat /proc/net/tcp /proc/net/tcp6 in a workspace running node on :3000 and
  // python on 127.0.0.1:8000, with one established connection).
  static final String TABLES =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
         1: 0200120A:0BB8 0100120A:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 41240 1 0000000000000000 20 4 30 10 -1
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41111 1 0000000000000000 100 0 0 10 0
         1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41112 1 0000000000000000 100 0 0 10 0
      """;

  @Test
  void findsListeningSocketsAndTellsLoopbackOnesApart() {
    assertThat(ListeningSockets.parse(TABLES))
        .containsExactly(
            new ListeningSockets.Socket(8000, 41234, true),
            new ListeningSockets.Socket(3000, 41111, false),
            new ListeningSockets.Socket(8080, 41112, true));
  }

  @Test
  void mappedLoopbackIsLoopback() {
    assertThat(ListeningSockets.loopback("0000000000000000FFFF00000100007F")).isTrue();
    assertThat(ListeningSockets.loopback("0000000000000000FFFF00000200120A")).isFalse();
    assertThat(ListeningSockets.loopback("00000000")).isFalse();
  }
}
