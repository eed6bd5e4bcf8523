package dev.constellation.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutedPathTest {
  @Test
  void decodesWhatTheRouterDecodes() {
    assertThat(RoutedPath.normalize("/api/auth/logi%6e")).isEqualTo("/api/auth/login");
    assertThat(RoutedPath.normalize("/api/auth/%6C%6F%67%69%6E")).isEqualTo("/api/auth/login");
    assertThat(RoutedPath.normalize("/%61pi/auth/register")).isEqualTo("/api/auth/register");
  }

  @Test
  void collapsesSlashes() {
    assertThat(RoutedPath.normalize("//api//auth/login/")).isEqualTo("/api/auth/login");
    assertThat(RoutedPath.normalize("/")).isEqualTo("/");
  }

  @Test
  void keepsMalformedEscapesAsTheyAre() {
    assertThat(RoutedPath.normalize("/api/auth/login%zz")).isEqualTo("/api/auth/login%zz");
  }
}
