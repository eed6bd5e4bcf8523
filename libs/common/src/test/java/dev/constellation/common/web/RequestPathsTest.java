package dev.constellation.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/internal;x/projects/p1",
        "/admin;x",
        "//admin",
        "/api//projects",
        "/a/../admin",
        "/a/./b",
        "/..",
        "/a/..",
        "/%2e%2e/admin",
        "/api/projects/%2E/x",
        "/a%2fb",
        "/a%5cb",
        "/a\\b",
        "/%69nternal/projects/p1",
        "/api/auth/logi%6e",
        "/a%00b",
        "/a%7e",
        "/a%252e",
        "/a%zz",
        "/a%2",
        "/a%3b"
      })
  void refusesPathsThatCouldBeReadTwoWays(String raw) {
    assertThat(RequestPaths.ambiguity(raw)).as(raw).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/api/projects",
        "/api/projects/p-1/files/content",
        "/internal/projects/p1",
        "/api/x%20y",
        "/api/caf%C3%A9",
        "/a:b",
        "/a@b",
        "/api/projects/p1/",
        "/ADMIN",
        "/a.b/c..d/...",
        "/INTERNAL/x"
      })
  void acceptsPlainPaths(String raw) {
    assertThat(RequestPaths.ambiguity(raw)).as(raw).isNull();
  }

  @Test
  void decidesOnTheDecodedPathInAnyCase() {
    assertThat(RequestPaths.normalized("/api/x%20y")).isEqualTo("/api/x y");
    assertThat(RequestPaths.isInternal("/INTERNAL/projects/p1")).isTrue();
    assertThat(RequestPaths.isInternal("/Internal")).isTrue();
    assertThat(RequestPaths.isInternal("/internalx/projects")).isFalse();
    assertThat(RequestPaths.isApi("/API/projects")).isTrue();
  }
}
