package dev.constellation.workspace.files;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.config.ProjectDirectories;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * project-service's way to a project's files (it never touches WORKSPACES_ROOT itself): create them
 * from an archive (an import or a template), export them, delete them. The shared JWT filter admits
 * only service tokens to /internal/**; each handler checks the caller again.
 */
@RestController
class InternalFilesController {
  record ImportResponse(int files, long bytes) {}

  private final ProjectArchives archives;
  private final ApplicationEventPublisher events;

  InternalFilesController(ProjectArchives archives, ApplicationEventPublisher events) {
    this.archives = archives;
    this.events = events;
  }

  /**
   * Creates the project's files from the zip in the body; 409 when the project already has files.
   */
  @PutMapping(
      path = "/internal/projects/{projectId}/archive",
      consumes = {"application/zip", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  ResponseEntity<ImportResponse> importArchive(
      @PathVariable String projectId,
      @CurrentUser AuthenticatedUser caller,
      @RequestParam(defaultValue = "false") boolean allowEmpty,
      HttpServletRequest request)
      throws IOException {
    requireService(caller);
    ProjectDirectories.requireValidId(projectId);
    ProjectArchives.Imported result =
        archives.importArchive(
            projectId, request.getInputStream(), request.getContentLengthLong(), allowEmpty);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(new ImportResponse(result.files(), result.bytes()));
  }

  @GetMapping(path = "/internal/projects/{projectId}/archive", produces = "application/zip")
  ResponseEntity<StreamingResponseBody> export(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser caller) {
    requireService(caller);
    ProjectDirectories.requireValidId(projectId);
    StreamingResponseBody body =
        out -> {
          var buffered = new BufferedOutputStream(out, 64 * 1024);
          archives.export(projectId, buffered);
          buffered.flush();
        };
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip")).body(body);
  }

  /** Idempotent: 204 whether or not there was anything to delete. */
  @DeleteMapping("/internal/projects/{projectId}/files")
  ResponseEntity<Void> delete(@PathVariable String projectId, @CurrentUser AuthenticatedUser caller)
      throws IOException {
    requireService(caller);
    archives.deleteAll(projectId);
    events.publishEvent(new ProjectFilesDeleted(projectId));
    return ResponseEntity.noContent().build();
  }

  private static void requireService(AuthenticatedUser caller) {
    if (caller == null || !caller.isService())
      throw ApiException.forbidden("Only services may call /internal endpoints.");
  }
}
