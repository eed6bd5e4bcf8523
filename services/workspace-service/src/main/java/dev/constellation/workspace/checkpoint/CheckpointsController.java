package dev.constellation.workspace.checkpoint;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.checkpoint.CheckpointStore.Meta;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/projects/{projectId}/checkpoints")
class CheckpointsController {
  static final int MAX_LABEL_CHARS = 100;

  /**
   * @param label what the checkpoint is for, at most 100 characters ("Before agent turn 3")
   */
  record CreateCheckpointRequest(@Nullable String label) {}

  /**
   * @param path a name in the project that the checkpoint does not hold
   * @param reason why: a link or special file (never followed), a file over the files API's limit
   */
  record SkippedResponse(String path, String reason) {}

  /**
   * @param id 16 hexadecimal digits
   * @param fileCount regular files the checkpoint holds
   * @param bytes their size together
   * @param createdBy the user id that took it
   * @param skipped names left out (at most 100 listed)
   */
  record CheckpointResponse(
      String id,
      Instant createdAt,
      String label,
      int fileCount,
      long bytes,
      String createdBy,
      List<SkippedResponse> skipped) {
    static CheckpointResponse of(Meta meta) {
      return new CheckpointResponse(
          meta.id(),
          meta.createdAt(),
          meta.label(),
          meta.fileCount(),
          meta.bytes(),
          meta.createdBy(),
          meta.skipped().stream().map(s -> new SkippedResponse(s.path(), s.reason())).toList());
    }
  }

  /**
   * @param status added (not in the checkpoint), modified, or deleted (only in the checkpoint)
   * @param before the checkpoint's text; absent when added, binary or over 1 MB
   * @param after the text now; absent when deleted, binary or over 1 MB
   * @param binary either side is not UTF-8 text
   */
  record FileDiffResponse(
      String path,
      String status,
      @Nullable String before,
      @Nullable String after,
      boolean binary,
      @Nullable Long beforeSize,
      @Nullable Long afterSize) {}

  record CheckpointDiffResponse(List<FileDiffResponse> files) {}

  /**
   * @param restored files written back (they differed or were missing)
   * @param deleted files removed (not in the checkpoint)
   * @param undoCheckpointId the checkpoint of the files as they were just before, to undo this
   */
  record RestoreResponse(List<String> restored, List<String> deleted, String undoCheckpointId) {}

  private final CheckpointService checkpoints;
  private final ProjectGuard guard;

  CheckpointsController(CheckpointService checkpoints, ProjectGuard guard) {
    this.checkpoints = checkpoints;
    this.guard = guard;
  }

  @PostMapping
  ResponseEntity<CheckpointResponse> createCheckpoint(
      @PathVariable String projectId,
      @RequestBody(required = false) @Nullable CreateCheckpointRequest body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    String label = label(body == null ? null : body.label());
    Meta meta = checkpoints.create(projectId, label, user.id());
    return ResponseEntity.status(HttpStatus.CREATED).body(CheckpointResponse.of(meta));
  }

  /** Newest first. */
  @GetMapping
  List<CheckpointResponse> listCheckpoints(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return checkpoints.list(projectId).stream().map(CheckpointResponse::of).toList();
  }

  /** The checkpoint against the files now, path by path (unchanged files are not listed). */
  @GetMapping("/{checkpointId}/diff")
  CheckpointDiffResponse checkpointDiff(
      @PathVariable String projectId,
      @PathVariable String checkpointId,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return new CheckpointDiffResponse(
        checkpoints.diff(projectId, checkpointId).stream()
            .map(
                d ->
                    new FileDiffResponse(
                        d.path(),
                        d.status(),
                        d.before(),
                        d.after(),
                        d.binary(),
                        d.beforeSize(),
                        d.afterSize()))
            .toList());
  }

  @PostMapping("/{checkpointId}/restore")
  RestoreResponse restoreCheckpoint(
      @PathVariable String projectId,
      @PathVariable String checkpointId,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    CheckpointService.Restored result = checkpoints.restore(projectId, checkpointId, user.id());
    return new RestoreResponse(result.restored(), result.deleted(), result.undoCheckpointId());
  }

  static String label(@Nullable String label) {
    if (label == null || label.isBlank()) return "Checkpoint";
    String trimmed = label.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_LABEL_CHARS)
      throw ApiException.validation("label", "A label has at most 100 characters.");
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i)))
        throw ApiException.validation("label", "A label is one line without control characters.");
    }
    return trimmed;
  }
}
