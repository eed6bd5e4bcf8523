package dev.constellation.common.project;

import dev.constellation.common.problem.ApiException;
import java.util.regex.Pattern;

/**
 * What a project id looks like, for every service. Ids become directory names under
 * WORKSPACES_ROOT, container and network names, and Redis key parts, so only this alphabet is
 * accepted; project-service mints 24-hex-digit ObjectIds, which pass.
 */
public final class ProjectIds {
  private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private ProjectIds() {}

  public static boolean isValid(String projectId) {
    return projectId != null && PROJECT_ID.matcher(projectId).matches();
  }

  /** An id that could not be a project is "not found", exactly like an unknown one. */
  public static String requireValid(String projectId) {
    if (!isValid(projectId)) throw ApiException.notFound("No project with this id.");
    return projectId;
  }
}
