package dev.constellation.common.problem;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * Every problem type any service answers with: one slug ({@code Problems.TYPE_BASE + slug}), one
 * status and one title per failure, shared by the MVC and the WebFlux handlers so that the same
 * failure never carries two names. Add a row here for a new kind of failure.
 */
public enum ProblemType {
  BAD_REQUEST(HttpStatus.BAD_REQUEST, "bad-request", "Bad request"),
  VALIDATION(HttpStatus.BAD_REQUEST, "validation", "Invalid request"),
  MALFORMED_BODY(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body"),
  BAD_PARAMETER(HttpStatus.BAD_REQUEST, "bad-parameter", "Bad request parameter"),
  /**
   * A path that a filter and the router could read differently ({@code ;}, dot segments, {@code
   * %69}).
   */
  AMBIGUOUS_PATH(HttpStatus.BAD_REQUEST, "ambiguous-path", "Ambiguous path"),
  INVALID_PATH(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path"),
  IS_A_DIRECTORY(HttpStatus.BAD_REQUEST, "is-a-directory", "Is a directory"),
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),
  FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),
  /** A terminal WebSocket from a page of another site. */
  FOREIGN_ORIGIN(HttpStatus.FORBIDDEN, "foreign-origin", "Foreign origin"),
  LOCAL_RUNTIME_REFUSED(HttpStatus.FORBIDDEN, "local-runtime-refused", "Local runtime refused"),
  LOCAL_RUNTIME_SINGLE_USER(
      HttpStatus.FORBIDDEN, "local-runtime-single-user", "Local runtime is single-user"),
  NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
  CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),
  LAST_OWNER(HttpStatus.CONFLICT, "last-owner", "Last owner"),
  /** A second agent turn in a conversation while one runs. */
  AGENT_TURN_RUNNING(HttpStatus.CONFLICT, "agent-turn-running", "Agent turn running"),
  /** A read that needs the running workspace (git status, log...) while it is stopped. */
  WORKSPACE_STOPPED(HttpStatus.CONFLICT, "workspace-stopped", "Workspace stopped"),
  /** Clone into a project that already has files. */
  PROJECT_NOT_EMPTY(HttpStatus.CONFLICT, "project-not-empty", "Project not empty"),
  /** Git refused or failed; the detail is git's own message with any credential removed. */
  GIT_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "git-failed", "Git failed"),
  /** Restoring a checkpoint wrote some files but not all (a link in the way, the quota). */
  CHECKPOINT_RESTORE_INCOMPLETE(
      HttpStatus.CONFLICT, "checkpoint-restore-incomplete", "Restore incomplete"),
  ETAG_MISMATCH(HttpStatus.PRECONDITION_FAILED, "etag-mismatch", "File changed"),
  /** A request body over the limit, wherever it is measured (gateway or service). */
  TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request too large"),
  FILE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "file-too-large", "File too large"),
  /** A project's files hold more than a checkpoint may keep. */
  CHECKPOINT_TOO_LARGE(
      HttpStatus.INSUFFICIENT_STORAGE, "checkpoint-too-large", "Checkpoint too large"),
  UNSUPPORTED_MEDIA_TYPE(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
  INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error"),
  FILE_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "file-error", "File operation failed"),
  DEPENDENCY_ERROR(HttpStatus.BAD_GATEWAY, "dependency-error", "Dependency error"),
  /** A service (or Redis, or the database) this request needs is not answering. */
  SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable"),
  /** Redis or the database is not answering: fail fast (and closed), never hang. */
  STORAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable"),
  /** The gateway's own bounded capacity towards a service is in use. */
  GATEWAY_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "gateway-busy", "Service busy"),
  WORKSPACE_UNAVAILABLE(
      HttpStatus.SERVICE_UNAVAILABLE, "workspace-unavailable", "Workspace unavailable"),
  AI_NOT_CONFIGURED(HttpStatus.SERVICE_UNAVAILABLE, "ai-not-configured", "AI not configured"),
  BUSY(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Too many answers in progress"),
  UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout", "Service timed out"),
  /** A git operation (clone, pull, push) ran past its time bound and was stopped. */
  GIT_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "git-timeout", "Git timed out");

  private static final Map<String, ProblemType> BY_SLUG =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(ProblemType::slug, Function.identity()));

  private final HttpStatus status;
  private final String slug;
  private final String title;

  ProblemType(HttpStatus status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** The row for a slug, or null. */
  public static ProblemType bySlug(String slug) {
    return BY_SLUG.get(slug);
  }

  /** The generic row for a status no specific failure names (e.g. a framework's 404 or 405). */
  public static ProblemType forStatus(int status) {
    for (ProblemType type : values()) {
      if (type.status.value() == status) return type;
    }
    return status >= 500 ? INTERNAL : BAD_REQUEST;
  }
}
