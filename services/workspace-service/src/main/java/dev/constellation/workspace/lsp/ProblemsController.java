package dev.constellation.workspace.lsp;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.concurrency.TooManyConcurrentException;
import dev.constellation.workspace.config.LanguageServerProperties;
import dev.constellation.workspace.files.ProjectFiles;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.lifecycle.WorkspaceStatus;
import dev.constellation.workspace.runtime.StdioProcess;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import jakarta.validation.Valid;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Diagnostics without an editor (the agent's read_problems): each file's language server is started
 * in the running workspace, given the files as the files API reads them, and shut down once it has
 * reported — bounded in time and by the same per-project cap as the editor's servers.
 */
@RestController
class ProblemsController {
  private static final Logger log = LoggerFactory.getLogger(ProblemsController.class);

  /**
   * How long the servers together may take, start to shutdown. TypeScript's semantic checker loads
   * the standard library's declarations first: 15–25 s on a loaded two-core machine.
   */
  static final Duration TIME_LIMIT = Duration.ofSeconds(30);

  private final ProjectGuard guard;
  private final ProjectFiles files;
  private final WorkspaceService workspaces;
  private final WorkspaceRuntime runtime;
  private final ConcurrencyLimits concurrency;
  private final LanguageServerProperties settings;
  private final ActivityTracker activity;
  private final AuditPublisher audit;
  private final JsonMapper json = JsonMapper.builder().build();

  /** One thread per server of a request; the cap on servers bounds how many run. */
  private final ExecutorService servers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "lsp-problems");
            t.setDaemon(true);
            return t;
          });

  ProblemsController(
      ProjectGuard guard,
      ProjectFiles files,
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      ConcurrencyLimits concurrency,
      LanguageServerProperties settings,
      ActivityTracker activity,
      AuditPublisher audit) {
    this.guard = guard;
    this.files = files;
    this.workspaces = workspaces;
    this.runtime = runtime;
    this.concurrency = concurrency;
    this.settings = settings;
    this.activity = activity;
    this.audit = audit;
  }

  @PostMapping("/api/projects/{projectId}/problems")
  ProblemsResponse problems(
      @PathVariable String projectId,
      @Valid @RequestBody ProblemsRequest body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    // Every path is read through the files API's rules first: one outside the project, through a
    // link, missing or too large refuses the whole request before any server starts.
    Map<String, List<HeadlessSession.OpenFile>> byServer = new TreeMap<>();
    List<ProblemsResponse.Unavailable> unavailable = new ArrayList<>();
    for (String path : new LinkedHashSet<>(body.paths())) {
      ProjectFiles.Content content = files.read(projectId, path);
      var language = Languages.ofPath(path).orElse(null);
      if (language == null) {
        unavailable.add(
            new ProblemsResponse.Unavailable(
                extension(path), "No language server checks files like '" + path + "'."));
        continue;
      }
      String text = utf8(content.bytes());
      if (text == null) {
        unavailable.add(
            new ProblemsResponse.Unavailable(
                language.language(), "'" + path + "' is not UTF-8 text."));
        continue;
      }
      byServer
          .computeIfAbsent(Languages.server(language.language()), k -> new ArrayList<>())
          .add(new HeadlessSession.OpenFile(path, language.languageId(), text));
    }
    if (workspaces.statusResumingPaused(projectId).status() != WorkspaceStatus.RUNNING) {
      throw new ApiException(
          ProblemType.WORKSPACE_STOPPED,
          "The workspace is not running; start it to let the language servers check files.");
    }
    audit.publish(
        "lsp.problems",
        user.id(),
        projectId,
        Map.of("runtime", runtime.name(), "files", String.valueOf(body.paths().size())));
    activity.touch(projectId);
    long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
    Map<String, CompletableFuture<Result>> running = new LinkedHashMap<>();
    byServer.forEach(
        (server, opened) ->
            running.put(
                server,
                CompletableFuture.supplyAsync(
                    () -> check(projectId, user, server, opened, deadline), servers)));
    List<ProblemsResponse.Problem> problems = new ArrayList<>();
    List<String> languages = new ArrayList<>();
    running.forEach(
        (server, future) -> {
          Result result = future.join();
          if (result.failure() != null) {
            unavailable.add(new ProblemsResponse.Unavailable(server, result.failure()));
          } else {
            languages.add(server);
            problems.addAll(result.problems());
          }
        });
    activity.touch(projectId);
    return new ProblemsResponse(problems, languages, unavailable);
  }

  private record Result(List<ProblemsResponse.Problem> problems, String failure) {}

  private Result check(
      String projectId,
      AuthenticatedUser user,
      String server,
      List<HeadlessSession.OpenFile> opened,
      long deadline) {
    List<String> command = Languages.command(server).orElseThrow();
    ConcurrencyLimits.Slot slot;
    try {
      slot = concurrency.acquire(ConcurrencyLimits.Kind.LANGUAGE_SERVER, user.id(), projectId);
    } catch (TooManyConcurrentException e) {
      return new Result(List.of(), e.getMessage());
    }
    try (slot) {
      StdioProcess process = runtime.spawn(projectId, command, settings.maxPendingInputBytes());
      var session =
          new HeadlessSession(process, WorkspaceUris.of(runtime.workspaceRoot(projectId)), json);
      HeadlessSession.Outcome outcome =
          session.run(opened, deadline, settings.maxServerMessageBytes());
      if (outcome.failure() != null) {
        var exit = process.exitCode();
        String failure =
            exit.isPresent() && exit.getAsInt() == 127
                ? "The workspace image has no " + server + " language server."
                : "The " + server + " language server failed: " + outcome.failure() + ".";
        return new Result(List.of(), failure);
      }
      List<ProblemsResponse.Problem> problems = new ArrayList<>();
      outcome
          .diagnostics()
          .forEach((path, published) -> problems.addAll(HeadlessSession.problems(path, published)));
      return new Result(problems, null);
    } catch (RuntimeException e) {
      log.warn("headless {} server in project {} failed: {}", server, projectId, e.toString());
      return new Result(List.of(), "The " + server + " language server could not be started.");
    }
  }

  private static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name : name.substring(dot + 1);
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
