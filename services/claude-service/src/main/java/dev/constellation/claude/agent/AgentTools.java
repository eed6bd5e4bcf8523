package dev.constellation.claude.agent;

import dev.constellation.claude.context.ProjectPaths;
import dev.constellation.claude.context.WorkspaceClient;
import dev.constellation.claude.upstream.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The tools the model is given (contract §3) and how each runs against workspace-service with the
 * turn user's own token. Nothing here decides whether a step may run: that is {@link AgentLoop}'s
 * approval gate.
 */
@Component
class AgentTools {
  static final int MAX_READ_BYTES = 512 * 1024;

  /** before/after texts shown for approval, each. */
  static final int MAX_PREVIEW_CHARS = 200_000;

  enum Kind {
    READ,
    EDIT,
    COMMAND
  }

  static final Map<String, Kind> KINDS =
      Map.of(
          "list_files", Kind.READ,
          "read_file", Kind.READ,
          "search_files", Kind.READ,
          "read_problems", Kind.READ,
          "write_file", Kind.EDIT,
          "edit_file", Kind.EDIT,
          "delete_file", Kind.EDIT,
          "run_command", Kind.COMMAND);

  /** What a tool call came to: text for the model, and for the UI. */
  record Outcome(String status, String output, Integer exitCode) {
    static Outcome ok(String output) {
      return new Outcome("ok", output, null);
    }

    static Outcome error(String output) {
      return new Outcome("error", output, null);
    }
  }

  /** A write the user approves: what changes, and what it needs to be carried out as approved. */
  record Change(String path, String action, String before, String after, String etag) {}

  /** Thrown for an input the tool cannot take; the message goes back to the model. */
  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message);
    }
  }

  private final WorkspaceClient workspace;

  AgentTools(WorkspaceClient workspace) {
    this.workspace = workspace;
  }

  WorkspaceClient workspace() {
    return workspace;
  }

  static List<ToolSpec> specs() {
    Map<String, Object> str = Map.of("type", "string");
    Map<String, Object> integer = Map.of("type", "integer");
    return List.of(
        new ToolSpec(
            "list_files",
            "List the project's files and folders, breadth first (generated folders such as node_modules are listed but not entered).",
            Map.of("path", desc(str, "Folder relative to the project root; empty for the root.")),
            List.of()),
        new ToolSpec(
            "read_file",
            "Read a text file of the project, optionally only lines startLine..endLine (1-based, inclusive).",
            Map.of("path", str, "startLine", integer, "endLine", integer),
            List.of("path")),
        new ToolSpec(
            "search_files",
            "Search the project's files for text (or a regular expression with regex: true); include is a glob such as \"*.ts\".",
            Map.of("query", str, "regex", Map.of("type", "boolean"), "include", str),
            List.of("query")),
        new ToolSpec(
            "write_file",
            "Create a file or replace its whole content. Needs the user's approval.",
            Map.of("path", str, "content", str),
            List.of("path", "content")),
        new ToolSpec(
            "edit_file",
            "Replace old_text, which must occur exactly once in the file, by new_text. Needs the user's approval.",
            Map.of("path", str, "old_text", str, "new_text", str),
            List.of("path", "old_text", "new_text")),
        new ToolSpec(
            "delete_file",
            "Delete a file. Needs the user's approval.",
            Map.of("path", str),
            List.of("path")),
        new ToolSpec(
            "run_command",
            "Run a shell command in /workspace of the project's workspace (Linux, bash) and get its output and exit code. Needs the user's approval.",
            Map.of("command", str, "timeoutSeconds", integer),
            List.of("command")),
        new ToolSpec(
            "read_problems",
            "Get the language servers' errors and warnings for up to 20 files (default: the files written in this turn).",
            Map.of("paths", Map.of("type", "array", "items", str)),
            List.of()));
  }

  private static Map<String, Object> desc(Map<String, Object> schema, String description) {
    Map<String, Object> out = new LinkedHashMap<>(schema);
    out.put("description", description);
    return out;
  }

  static String path(Map<String, Object> input, String field, boolean required) {
    Object value = input.get(field);
    if (value == null || (value instanceof String s && s.isEmpty() && !required)) {
      if (required) throw new BadInput(field + " is required.");
      return "";
    }
    if (!(value instanceof String s)) throw new BadInput(field + " must be a string.");
    String problem = ProjectPaths.problem(s);
    if (problem != null) throw new BadInput(field + " '" + s + "': " + problem);
    return s;
  }

  static String text(Map<String, Object> input, String field) {
    Object value = input.get(field);
    if (!(value instanceof String s)) throw new BadInput(field + " is required (a string).");
    return s;
  }

  static Integer integer(Map<String, Object> input, String field) {
    Object value = input.get(field);
    if (value == null) return null;
    if (value instanceof Number n) return n.intValue();
    throw new BadInput(field + " must be a number.");
  }

  // --- read-only tools ---------------------------------------------------------------------

  Outcome read(
      String tool, Map<String, Object> input, String projectId, String auth, List<String> written) {
    return switch (tool) {
      case "list_files" -> listFiles(input, projectId, auth);
      case "read_file" -> readFile(input, projectId, auth);
      case "search_files" -> searchFiles(input, projectId, auth);
      case "read_problems" -> readProblems(input, projectId, auth, written);
      default -> Outcome.error("unknown tool " + tool);
    };
  }

  private Outcome listFiles(Map<String, Object> input, String projectId, String auth) {
    String dir = path(input, "path", false);
    WorkspaceClient.Tree tree = workspace.tree(projectId, dir, 2000, auth);
    StringBuilder out = new StringBuilder();
    for (WorkspaceClient.TreeEntry e : tree.entries()) {
      out.append(e.path()).append("dir".equals(e.type()) ? "/" : " (" + e.size() + " bytes)");
      out.append('\n');
    }
    if (out.length() == 0) out.append("(no files)\n");
    if (tree.truncated()) out.append("… (list cut off)\n");
    return Outcome.ok(out.toString());
  }

  private Outcome readFile(Map<String, Object> input, String projectId, String auth) {
    String p = path(input, "path", true);
    WorkspaceClient.FileText file = workspace.readFile(projectId, p, MAX_READ_BYTES, auth);
    if (binary(file.bytes())) return Outcome.error("'" + p + "' is a binary file.");
    String content = new String(file.bytes(), StandardCharsets.UTF_8);
    Integer start = integer(input, "startLine");
    Integer end = integer(input, "endLine");
    if (start == null && end == null) {
      return Outcome.ok(content + (file.truncated() ? "\n… (file cut off)" : ""));
    }
    String[] lines = content.split("\n", -1);
    int from = Math.max(1, start == null ? 1 : start);
    int to = Math.min(lines.length, end == null ? lines.length : end);
    if (from > lines.length) {
      return Outcome.error(
          "'" + p + "' has " + lines.length + " lines; startLine is " + from + ".");
    }
    StringBuilder out = new StringBuilder();
    out.append("(lines ").append(from).append('-').append(to).append(" of ").append(lines.length);
    out.append(")\n");
    for (int i = from; i <= to; i++) out.append(lines[i - 1]).append('\n');
    return Outcome.ok(out.toString());
  }

  private Outcome searchFiles(Map<String, Object> input, String projectId, String auth) {
    String query = text(input, "query");
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("query", query);
    request.put("regex", Boolean.TRUE.equals(input.get("regex")));
    request.put("maxResults", 200);
    Object include = input.get("include");
    if (include instanceof String s && !s.isBlank()) request.put("include", List.of(s));
    else if (include instanceof List<?> l && !l.isEmpty()) request.put("include", l);
    StringBuilder out = new StringBuilder();
    for (JsonNode line : workspace.search(projectId, request, 2000, auth)) {
      if (line.path("done").asBoolean(false)) {
        out.append("(")
            .append(line.path("matches").asInt())
            .append(" matches in ")
            .append(line.path("files").asInt())
            .append(" files")
            .append(line.path("limitHit").asBoolean(false) ? ", more not shown" : "")
            .append(")\n");
        continue;
      }
      String file = line.path("path").asString("");
      for (JsonNode m : line.path("matches")) {
        out.append(file)
            .append(':')
            .append(m.path("line").asInt())
            .append(": ")
            .append(m.path("text").asString("").strip())
            .append('\n');
      }
    }
    return Outcome.ok(out.length() == 0 ? "(no matches)" : out.toString());
  }

  private Outcome readProblems(
      Map<String, Object> input, String projectId, String auth, List<String> written) {
    List<String> paths = new ArrayList<>();
    if (input.get("paths") instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof String s)) throw new BadInput("paths must be strings.");
        String problem = ProjectPaths.problem(s);
        if (problem != null) throw new BadInput("path '" + s + "': " + problem);
        paths.add(s);
      }
    } else {
      paths.addAll(written);
    }
    if (paths.isEmpty())
      throw new BadInput("paths is required (no file was written in this turn).");
    if (paths.size() > 20) paths = paths.subList(0, 20);
    JsonNode result = workspace.problems(projectId, paths, auth);
    StringBuilder out = new StringBuilder();
    for (JsonNode p : result.path("problems")) {
      out.append(p.path("path").asString(""))
          .append(':')
          .append(p.path("line").asInt())
          .append(':')
          .append(p.path("column").asInt())
          .append(' ')
          .append(p.path("severity").asString(""))
          .append(": ")
          .append(p.path("message").asString(""))
          .append('\n');
    }
    for (JsonNode u : result.path("unavailable")) {
      out.append("(no checks for ")
          .append(u.path("language").asString(""))
          .append(": ")
          .append(u.path("reason").asString(""))
          .append(")\n");
    }
    return Outcome.ok(out.length() == 0 ? "(no problems)" : out.toString());
  }

  // --- writes ------------------------------------------------------------------------------

  /** What a write would change, read before asking for approval; a bad input fails here. */
  Change preview(String tool, Map<String, Object> input, String projectId, String auth) {
    String p = path(input, "path", true);
    WorkspaceClient.FileText current = readOrNull(projectId, p, auth);
    String before = current == null ? null : new String(current.bytes(), StandardCharsets.UTF_8);
    if (current != null && (current.truncated() || binary(current.bytes()))) {
      if (!"delete_file".equals(tool))
        throw new BadInput("'" + p + "' is binary or over 512 KB; it cannot be edited here.");
      before = null;
    }
    String etag = current == null ? null : current.etag();
    switch (tool) {
      case "write_file" -> {
        String content = text(input, "content");
        return new Change(p, current == null ? "create" : "modify", before, content, etag);
      }
      case "edit_file" -> {
        if (current == null) throw new BadInput("'" + p + "' does not exist; use write_file.");
        String oldText = text(input, "old_text");
        String newText = text(input, "new_text");
        if (oldText.isEmpty()) throw new BadInput("old_text must not be empty.");
        int first = before.indexOf(oldText);
        if (first < 0) throw new BadInput("old_text does not occur in '" + p + "'.");
        if (before.indexOf(oldText, first + 1) >= 0)
          throw new BadInput(
              "old_text occurs more than once in '"
                  + p
                  + "'; include more context to make it unique.");
        String after =
            before.substring(0, first) + newText + before.substring(first + oldText.length());
        return new Change(p, "modify", before, after, etag);
      }
      case "delete_file" -> {
        if (current == null) throw new BadInput("'" + p + "' does not exist.");
        return new Change(p, "delete", before, null, etag);
      }
      default -> throw new BadInput("unknown tool " + tool);
    }
  }

  /** Carries out an approved change; a file changed since the preview is not overwritten. */
  Outcome apply(Change change, String projectId, String auth) {
    if ("delete".equals(change.action())) {
      workspace.deleteFile(projectId, change.path(), auth);
      return Outcome.ok("Deleted " + change.path() + ".");
    }
    byte[] bytes = change.after().getBytes(StandardCharsets.UTF_8);
    // If-Match when modifying: what the user approved is applied only to the file they saw.
    workspace.writeFile(projectId, change.path(), bytes, change.etag(), auth);
    return Outcome.ok(
        ("create".equals(change.action()) ? "Created " : "Wrote ")
            + change.path()
            + " ("
            + bytes.length
            + " bytes).");
  }

  private WorkspaceClient.FileText readOrNull(String projectId, String p, String auth) {
    try {
      return workspace.readFile(projectId, p, MAX_READ_BYTES, auth);
    } catch (WorkspaceClient.Failure e) {
      if (e.status() == 404) return null;
      throw e;
    }
  }

  // --- commands ----------------------------------------------------------------------------

  Outcome run(
      String command,
      Integer timeoutSeconds,
      String projectId,
      String auth,
      Consumer<String> onOutput,
      Consumer<AutoCloseable> onOpen,
      int maxOutput) {
    StringBuilder output = new StringBuilder();
    JsonNode done =
        workspace.execStream(
            projectId,
            command,
            timeoutSeconds,
            auth,
            line -> {
              String t = line.path("text").asString("");
              if (output.length() < maxOutput) output.append(t);
              onOutput.accept(t);
            },
            onOpen);
    int exit = done.path("exitCode").asInt(-1);
    boolean timedOut = done.path("timedOut").asBoolean(false);
    if (output.length() > maxOutput) output.setLength(maxOutput);
    String text =
        output
            + (done.path("truncated").asBoolean(false) ? "\n… (output cut off)" : "")
            + "\n(exit code "
            + exit
            + (timedOut ? ", timed out" : "")
            + ")";
    return new Outcome(timedOut ? "timeout" : "ok", text, exit);
  }

  static boolean binary(byte[] bytes) {
    int n = Math.min(bytes.length, 8000);
    for (int i = 0; i < n; i++) if (bytes[i] == 0) return true;
    return false;
  }
}
