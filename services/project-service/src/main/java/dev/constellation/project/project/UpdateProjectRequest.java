package dev.constellation.project.project;

import jakarta.validation.constraints.Size;

/** Absent fields stay as they are. */
record UpdateProjectRequest(
    @Size(min = 1, max = ProjectService.MAX_NAME) String name,
    @Size(max = ProjectService.MAX_DESCRIPTION) String description) {

  UpdateProjectRequest {
    name = name == null ? null : name.strip();
  }
}
