package dev.constellation.workspace.search;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.files.ProjectFiles;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Find in files inside the running workspace with ripgrep: the workspace's own view of its files,
 * no copy through this service. Links are never followed (ripgrep's default; {@code -L} is never
 * passed), and only .gitignore files inside the project count, as in the walk.
 */
@Component
class RipgrepSearch {
  static final String ENGINE = "ripgrep";

  /** A JSON line of a match holds the whole line; files over 1 MB are skipped anyway. */
  private static final int MAX_JSON_LINE = 8 * 1024 * 1024;

  private final WorkspaceRuntime runtime;
  private final WorkspaceService workspaces;
  private final ProjectFiles files;
  private final JsonMapper json = JsonMapper.builder().build();

  RipgrepSearch(WorkspaceRuntime runtime, ProjectFiles files, WorkspaceService workspaces) {
    this.runtime = runtime;
    this.workspaces = workspaces;
    this.files = files;
  }

  /**
   * Whether ripgrep can run in the workspace. Not in a paused one: the files are on the host, so
   * the walk answers without thawing it (as the files API does).
   */
  boolean available(String projectId) {
    return runtime.canExecLines()
        && !workspaces.isPaused(projectId)
        && runtime.isRunning(projectId);
  }

  static List<String> command(SearchPattern pattern, Globs globs, int cap) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "rg",
                "--json",
                "--no-config",
                "--hidden",
                "--no-follow",
                "--no-ignore-dot",
                "--no-ignore-global",
                "--no-ignore-parent",
                "--no-ignore-exclude",
                "--no-require-git",
                "--max-filesize",
                String.valueOf(WalkSearch.MAX_FILE_BYTES),
                "--max-count",
                String.valueOf(cap),
                "--glob",
                "!.git",
                "--glob",
                "!.constellation-write-*"));
    // Later globs win in ripgrep: excludes come after includes so that they take precedence.
    for (String g : globs.includes()) argv.addAll(List.of("--glob", g));
    for (String g : globs.excludes()) argv.addAll(List.of("--glob", "!" + g));
    argv.addAll(List.of("-e", pattern.expression(), "--", "."));
    return argv;
  }

  /**
   * Runs the search; false when ripgrep could not run at all (not in the image), so the caller can
   * walk instead.
   */
  boolean search(
      String projectId, SearchPattern pattern, Globs globs, SearchSink sink, Duration timeout) {
    var parser = new Parser(projectId, sink);
    WorkspaceRuntime.LinesResult result;
    try {
      result =
          runtime.execLines(
              projectId, command(pattern, globs, sink.room()), timeout, MAX_JSON_LINE, parser);
    } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
      if (parser.anything) throw e;
      return false;
    }
    if (!parser.anything && (result.exitCode() == 126 || result.exitCode() == 127)) return false;
    if (result.timedOut()) sink.timedOut();
    if (result.exitCode() == 2 && !parser.anything && result.stderr().contains("regex")) {
      throw ApiException.validation(
          "query", "The regular expression is not valid: " + firstLine(result.stderr()));
    }
    return true;
  }

  private static String firstLine(String text) {
    String t = text.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /** ripgrep's JSON lines: begin, match…, end per file, then a summary. */
  private final class Parser implements java.util.function.Predicate<String> {
    private final String projectId;
    private final SearchSink sink;
    private @Nullable String path;
    private final List<SearchResults.Match> matches = new ArrayList<>();
    boolean anything;

    Parser(String projectId, SearchSink sink) {
      this.projectId = projectId;
      this.sink = sink;
    }

    @Override
    public boolean test(String line) {
      if (line.isBlank()) return true;
      anything = true;
      JsonNode message = json.readTree(line);
      String type = message.path("type").asString("");
      JsonNode data = message.path("data");
      switch (type) {
        case "begin" -> {
          path = text(data.path("path"));
          matches.clear();
        }
        case "match" -> {
          if (path == null) return !sink.stopped();
          if (matches.size() > sink.room()) return true;
          byte[] bytes = bytes(data.path("lines"));
          int end = bytes.length;
          while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) end--;
          String lineText = new String(bytes, 0, end, StandardCharsets.UTF_8);
          int lineNumber = data.path("line_number").asInt();
          for (JsonNode sub : data.path("submatches")) {
            int s = Math.min(sub.path("start").asInt(), end);
            int e = Math.min(sub.path("end").asInt(), end);
            if (e <= s) continue;
            int column = new String(bytes, 0, s, StandardCharsets.UTF_8).length();
            int length = new String(bytes, s, e - s, StandardCharsets.UTF_8).length();
            matches.add(SearchResults.match(lineNumber, lineText, column, column + length));
          }
        }
        case "end" -> {
          if (path != null && !matches.isEmpty()) {
            String shown = path;
            path = null;
            return sink.add(
                new SearchResults.FileMatches(shown, etag(shown), List.copyOf(matches)));
          }
          path = null;
        }
        default -> {
          // summary and context lines carry nothing the IDE shows
        }
      }
      return !sink.stopped();
    }

    /** The ETag of the file as it is now on disk, read through the no-follow files API. */
    private @Nullable String etag(String file) {
      try {
        return files.read(projectId, file).etag();
      } catch (ApiException e) {
        return null;
      }
    }

    /** A path as the files API spells it; null for a name that is not UTF-8. */
    private static @Nullable String text(JsonNode node) {
      if (!node.has("text")) return null;
      String p = node.path("text").asString();
      return p.startsWith("./") ? p.substring(2) : p;
    }

    private static byte[] bytes(JsonNode node) {
      if (node.has("text")) return node.path("text").asString().getBytes(StandardCharsets.UTF_8);
      return Base64.getDecoder().decode(node.path("bytes").asString(""));
    }
  }
}
