package dev.constellation.workspace.files;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/projects/{projectId}/files")
class FilesController {
  record MoveRequest(@NotNull String from, @NotNull String to) {}

  /**
   * @param maxFileBytes the largest file that can be opened, saved or uploaded through this API
   */
  record FileLimits(long maxFileBytes) {}

  static final String BINARY_HEADER = "X-File-Binary";
  static final String MEDIA_TYPE_HEADER = "X-File-Media-Type";

  private final ProjectFiles files;
  private final ProjectTreeListing treeListing;
  private final ProjectArchives archives;
  private final ProjectGuard guard;
  private final ActivityTracker activity;

  FilesController(
      ProjectFiles files,
      ProjectTreeListing treeListing,
      ProjectArchives archives,
      ProjectGuard guard,
      ActivityTracker activity) {
    this.files = files;
    this.treeListing = treeListing;
    this.archives = archives;
    this.guard = guard;
    this.activity = activity;
  }

  @GetMapping
  List<FileEntry> list(
      @PathVariable String projectId,
      @RequestParam(defaultValue = "") String path,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return files.list(projectId, path);
  }

  /**
   * The whole tree below {@code path} in one answer, breadth first and bounded: links are listed,
   * never followed, and dependency and build folders are listed without their contents.
   */
  @GetMapping("/tree")
  FileTree tree(
      @PathVariable String projectId,
      @RequestParam(defaultValue = "") String path,
      @RequestParam(defaultValue = "" + ProjectTreeListing.DEFAULT_ENTRIES) int maxEntries,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return treeListing.list(projectId, path, maxEntries);
  }

  @GetMapping("/content")
  ResponseEntity<byte[]> read(
      @PathVariable String projectId,
      @RequestParam String path,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    ProjectFiles.Content content = files.read(projectId, path);
    FileKind kind = FileKind.of(fileName(path), content.bytes());
    return ResponseEntity.ok()
        // The served type stays octet-stream (B20); the UI learns what the bytes are from these.
        .header(BINARY_HEADER, Boolean.toString(kind.binary()))
        .header(MEDIA_TYPE_HEADER, kind.mediaType())
        .header(HttpHeaders.ETAG, content.etag())
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        // User HTML or SVG opened from this URL must never run as the IDE's origin (B20).
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(fileName(path), StandardCharsets.UTF_8)
                .build()
                .toString())
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "sandbox; default-src 'none'")
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .body(content.bytes());
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The limits the UI states to people before they upload ("at most 10 MB"). */
  @GetMapping("/limits")
  FileLimits limits(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.READ);
    return new FileLimits(files.maxFileBytes());
  }

  /**
   * A folder (or the whole project for {@code ""}) as a zip download. Links inside are left out,
   * never followed; a missing folder or a link in the path is refused before anything is sent.
   */
  @GetMapping(path = "/archive", produces = "application/zip")
  ResponseEntity<StreamingResponseBody> archive(
      @PathVariable String projectId,
      @RequestParam(defaultValue = "") String path,
      @CurrentUser AuthenticatedUser user)
      throws IOException {
    guard.require(user, projectId, ProjectAction.READ);
    // Checked now so a bad path answers with a problem rather than a broken 200.
    files.openFolder(projectId, path).close();
    String name = path.isEmpty() ? "project" : fileName(path);
    StreamingResponseBody body =
        out -> {
          try (Dir folder = files.openFolder(projectId, path)) {
            var buffered = new BufferedOutputStream(out, 64 * 1024);
            archives.exportFolder(folder, buffered);
            buffered.flush();
          }
        };
    return ResponseEntity.ok()
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(name + ".zip", StandardCharsets.UTF_8)
                .build()
                .toString())
        .contentType(MediaType.parseMediaType("application/zip"))
        .body(body);
  }

  @PutMapping("/content")
  ResponseEntity<WriteResult> write(
      @PathVariable String projectId,
      @RequestParam String path,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @CurrentUser AuthenticatedUser user,
      HttpServletRequest request)
      throws IOException {
    guard.require(user, projectId, ProjectAction.WRITE);
    WriteResult result = files.write(projectId, path, request.getInputStream(), ifMatch);
    activity.touch(projectId);
    return ResponseEntity.ok().header(HttpHeaders.ETAG, result.etag()).body(result);
  }

  @PostMapping("/move")
  ResponseEntity<Void> move(
      @PathVariable String projectId,
      @Valid @RequestBody MoveRequest body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    files.move(projectId, body.from(), body.to());
    activity.touch(projectId);
    return ResponseEntity.ok().build();
  }

  @DeleteMapping
  ResponseEntity<Void> delete(
      @PathVariable String projectId,
      @RequestParam String path,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    files.delete(projectId, path);
    activity.touch(projectId);
    return ResponseEntity.noContent().build();
  }
}
