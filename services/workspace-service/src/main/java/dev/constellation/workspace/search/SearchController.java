package dev.constellation.workspace.search;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Find in files (READ) and replace across files with one undo (WRITE). Results stream as NDJSON:
 * one line per file, then a summary line (see docs/api-contract.md).
 */
@RestController
class SearchController {
  static final String NDJSON = "application/x-ndjson";

  /** How long a search may take; ripgrep is killed and the walk stops at this bound. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(20);

  /** Searches that may run at once in this service: each holds a thread and reads many files. */
  private static final int MAX_CONCURRENT = 8;

  private final ProjectGuard guard;
  private final RipgrepSearch ripgrep;
  private final WalkSearch walk;
  private final ReplaceService replacer;
  private final AuditPublisher audit;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Semaphore running = new Semaphore(MAX_CONCURRENT);

  SearchController(
      ProjectGuard guard,
      RipgrepSearch ripgrep,
      WalkSearch walk,
      ReplaceService replacer,
      AuditPublisher audit) {
    this.guard = guard;
    this.ripgrep = ripgrep;
    this.walk = walk;
    this.replacer = replacer;
    this.audit = audit;
  }

  // No `produces`: a refusal must still be written as application/problem+json.
  @PostMapping("/api/projects/{projectId}/search")
  @ApiResponse(
      responseCode = "200",
      description =
          "NDJSON: one {path, etag, matches} line per file, then {done, files, matches, truncated,"
              + " limitHit, timedOut, engine}",
      content = @Content(mediaType = NDJSON, schema = @Schema(implementation = String.class)))
  void search(
      @PathVariable String projectId,
      @Valid @RequestBody SearchRequest body,
      @CurrentUser AuthenticatedUser user,
      HttpServletResponse response)
      throws IOException {
    guard.require(user, projectId, ProjectAction.READ);
    SearchPattern pattern = body.pattern();
    Globs globs = Globs.of(body.includes(), body.excludes());
    if (!running.tryAcquire())
      throw ApiException.unavailable(
          "Too many searches are running right now; try again in a moment.", Duration.ofSeconds(2));
    try {
      response.setStatus(200);
      response.setContentType(NDJSON);
      response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      // Proxies that buffer (nginx) pass each line on as it comes.
      response.setHeader("X-Accel-Buffering", "no");
      SearchSink sink =
          new SearchSink(
              response.getOutputStream(),
              json,
              body.cap(),
              System.nanoTime() + TIME_LIMIT.toNanos());
      String engine = WalkSearch.ENGINE;
      if (ripgrep.available(projectId)
          && ripgrep.search(projectId, pattern, globs, sink, TIME_LIMIT)) {
        engine = RipgrepSearch.ENGINE;
      } else {
        walk.search(projectId, pattern, globs, sink);
      }
      sink.done(engine);
    } catch (UncheckedIOException gone) {
      // the IDE closed the stream (a newer search replaced this one): nothing to tell anyone
    } finally {
      running.release();
    }
  }

  @PostMapping("/api/projects/{projectId}/search/replace")
  ReplaceResults replace(
      @PathVariable String projectId,
      @Valid @RequestBody ReplaceRequest body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    ReplaceResults result = replacer.replace(projectId, user.id(), body);
    audit.publish(
        "search-replace",
        user.id(),
        projectId,
        Map.of(
            "files", String.valueOf(result.changed().size()),
            "replacements",
                String.valueOf(
                    result.changed().stream()
                        .mapToInt(ReplaceResults.Changed::replacements)
                        .sum())));
    return result;
  }

  @PostMapping("/api/projects/{projectId}/search/replace/{undoId}/undo")
  ReplaceResults.Undone undo(
      @PathVariable String projectId,
      @PathVariable String undoId,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    ReplaceResults.Undone result = replacer.undo(projectId, user.id(), undoId);
    audit.publish(
        "search-replace-undo",
        user.id(),
        projectId,
        Map.of("files", String.valueOf(result.restored().size())));
    return result;
  }
}
