package dev.constellation.project.transfer;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.project.files.WorkspaceFilesClient;
import dev.constellation.project.project.Project;
import dev.constellation.project.project.ProjectResponse;
import dev.constellation.project.project.ProjectService;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
class TransferController {
  private final ProjectService projects;
  private final WorkspaceFilesClient files;
  private final AuditPublisher audit;

  TransferController(ProjectService projects, WorkspaceFilesClient files, AuditPublisher audit) {
    this.projects = projects;
    this.files = files;
    this.audit = audit;
  }

  @GetMapping("/api/projects/{id}/export")
  ResponseEntity<StreamingResponseBody> export(
      @CurrentUser AuthenticatedUser user, @PathVariable String id) {
    Project project = projects.require(user, id, ProjectAction.READ);
    WorkspaceFilesClient.Export export = files.export(project.id());
    String filename = project.name().replaceAll("[^A-Za-z0-9._-]+", "-") + ".zip";
    StreamingResponseBody body = export::writeTo;
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/zip"))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(filename).build().toString())
        .body(body);
  }

  /**
   * workspace-service checks and unpacks the archive; nothing is written under the project's id
   * until the whole archive passed every check there. ResponseEntity carries the Location header;
   * the annotation is what the OpenAPI document reads.
   */
  @PostMapping(path = "/api/projects/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<ProjectResponse> importZip(
      @CurrentUser AuthenticatedUser user,
      @RequestParam(name = "file", required = false) MultipartFile file,
      @RequestParam(name = "name", required = false) String name,
      @RequestParam(name = "description", required = false) String description)
      throws IOException {
    String trimmed = name == null ? "" : name.strip();
    if (trimmed.isEmpty() || trimmed.length() > ProjectService.MAX_NAME) {
      throw ApiException.validation(
          "name", "name must be 1 to " + ProjectService.MAX_NAME + " characters.");
    }
    if (description != null && description.length() > ProjectService.MAX_DESCRIPTION) {
      throw ApiException.validation(
          "description",
          "description must be at most " + ProjectService.MAX_DESCRIPTION + " characters.");
    }
    if (file == null || file.isEmpty()) {
      throw ApiException.validation("file", "Attach the zip archive as the multipart part 'file'.");
    }
    String id = ProjectService.newProjectId();
    Project project =
        projects.register(
            user,
            id,
            trimmed,
            description,
            null,
            () -> files.createFrom(id, () -> open(file), file.getSize(), false));
    audit.publish(
        "project.import",
        user.id(),
        id,
        Map.of("name", trimmed, "bytes", String.valueOf(file.getSize())));
    return ResponseEntity.created(URI.create("/api/projects/" + id))
        .body(ProjectResponse.of(project));
  }

  private static java.io.InputStream open(MultipartFile file) {
    try {
      return file.getInputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
