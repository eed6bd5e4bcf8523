package dev.constellation.project.project;

import dev.constellation.project.template.KnownTemplate;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

record CreateProjectRequest(
    @NotBlank @Size(max = ProjectService.MAX_NAME) String name,
    @Size(max = ProjectService.MAX_DESCRIPTION) @Nullable String description,
    @NotNull @KnownTemplate String templateId) {

  CreateProjectRequest {
    name = name == null ? null : name.strip();
  }
}
