package dev.constellation.system.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecorderTest {

  @Test
  void percentilesAreNearestRankOverSuccessesAndFailuresAreCountedByCause() {
    Recorder recorder = new Recorder();
    for (int ms = 1; ms <= 100; ms++) recorder.ok("read file", ms * 1_000_000L);
    recorder.failed("read file", "HTTP 503 Retry-After 2 busy");
    recorder.failed("read file", "HTTP 503 Retry-After 2 busy");
    recorder.failed("exec", "HTTP 429\nconcurrent-execs");
    recorder.failed("leave", "HTTP 504 {\"status\":504,\"requestId\":\"a1\"}");
    recorder.failed("leave", "HTTP 504 {\"status\":504,\"requestId\":\"b2\"}");
    recorder.failed("leave", "HTTP 504 {\"status\":504,\"requestId\":\"c3\"}");

    Recorder.Stats read = recorder.stats().get("read file");
    assertThat(read.count()).isEqualTo(100);
    assertThat(read.errors()).isEqualTo(2);
    assertThat(read.p50()).isEqualTo(50.0);
    assertThat(read.p99()).isEqualTo(99.0);
    assertThat(read.max()).isEqualTo(100.0);
    assertThat(recorder.stats().get("exec").count()).isZero();
    assertThat(recorder.totalErrors()).isEqualTo(6);
    assertThat(recorder.totalOperations()).isEqualTo(106);
    assertThat(recorder.failures())
        .containsExactly(
            "leave: HTTP 504 {\"status\":504} ×3",
            "read file: HTTP 503 Retry-After 2 busy ×2",
            "exec: HTTP 429 concurrent-execs ×1");
  }
}
