package dev.constellation.project.project;

import dev.constellation.common.access.ProjectRole;

public record Member(String userId, ProjectRole role) {}
