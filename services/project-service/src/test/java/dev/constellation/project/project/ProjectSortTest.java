package dev.constellation.project.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.problem.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Sort;

class ProjectSortTest {
  @Test
  void acceptsTheContractsFieldsWithAnOptionalDirection() {
    assertThat(ProjectService.parseSort("name").getOrderFor("name").getDirection())
        .isEqualTo(Sort.Direction.ASC);
    assertThat(
            ProjectService.parseSort("lastOpenedAt,desc")
                .getOrderFor("lastOpenedAt")
                .getDirection())
        .isEqualTo(Sort.Direction.DESC);
    assertThat(ProjectService.parseSort("createdAt,ASC").getOrderFor("_id")).isNotNull();
    assertThat(ProjectService.parseSort(null).getOrderFor("updatedAt").getDirection())
        .isEqualTo(Sort.Direction.DESC);
  }

  @Test
  void refusesOtherFieldsAndDirections() {
    assertThatThrownBy(() -> ProjectService.parseSort("members.userId"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("sort");
    assertThatThrownBy(() -> ProjectService.parseSort("name,up")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> ProjectService.parseSort("name,asc,desc"))
        .isInstanceOf(ApiException.class);
  }
}
