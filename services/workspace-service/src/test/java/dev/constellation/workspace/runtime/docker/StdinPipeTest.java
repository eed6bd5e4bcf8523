package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StdinPipeTest {

  @Test
  void refusesInputBeyondTheBoundAndTakesMoreOnceTheShellReads() {
    StdinPipe pipe = new StdinPipe(10);
    assertThat(pipe.offer(new byte[6])).isTrue();
    assertThat(pipe.offer(new byte[5])).as("11 bytes would wait").isFalse();
    assertThat(pipe.offer(new byte[4])).isTrue();
    byte[] buffer = new byte[16];
    assertThat(pipe.read(buffer, 0, buffer.length)).isEqualTo(6);
    assertThat(pipe.offer(new byte[6])).as("room again after the shell read").isTrue();
  }

  @Test
  void endsWithEndOfFileWhenClosed() {
    StdinPipe pipe = new StdinPipe(10);
    pipe.offer(new byte[] {1, 2});
    pipe.close();
    assertThat(pipe.read(new byte[4], 0, 4)).isEqualTo(-1);
    assertThat(pipe.offer(new byte[] {3})).as("input after close is dropped, not refused").isTrue();
  }
}
