package dev.constellation.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UiPathTest {
  @Test
  void clientSideRoutesGetTheUi() {
    assertThat(FrontendConfiguration.isUiPath("/")).isTrue();
    assertThat(FrontendConfiguration.isUiPath("/projects/6b1")).isTrue();
    assertThat(FrontendConfiguration.isUiPath("/apiary")).isTrue();
  }

  @Test
  void serverPathsInAnySpellingNeverGetTheUi() {
    for (String path :
        new String[] {
          "/api",
          "/api/projects",
          "/internal/projects/x/access",
          "/internal%20/projects/x/access",
          "/INTERNAL/projects",
          "/internal;x/projects",
          "/%69nternal/projects",
          "/Api/health",
          "/actuator/health",
          "/v3/api-docs"
        }) {
      assertThat(FrontendConfiguration.isUiPath(path)).as(path).isFalse();
    }
  }
}
