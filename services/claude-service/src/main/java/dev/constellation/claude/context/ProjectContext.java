package dev.constellation.claude.context;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Turns a project into prompt text: its file tree, and the files and selection a user attaches. */
@Component
public class ProjectContext {
  private static final Logger log = LoggerFactory.getLogger(ProjectContext.class);
  // Generated or vendored trees: listing them would spend the whole tree budget on noise.
  private static final Set<String> SKIPPED_DIRS =
      Set.of(
          ".git",
          "node_modules",
          "target",
          "build",
          "dist",
          ".venv",
          "venv",
          "__pycache__",
          ".idea",
          ".gradle",
          ".next");

  /** A selection of lines, 1-based and inclusive. */
  public record Selection(String path, int startLine, int endLine) {}

  private final WorkspaceClient workspace;
  private final ClaudeProperties.Context limits;

  ProjectContext(WorkspaceClient workspace, ClaudeProperties properties) {
    this.workspace = workspace;
    this.limits = properties.context();
  }

  /**
   * The project's files, breadth first, bounded in entries and listings. An unreachable workspace
   * service leaves the tree out rather than failing the chat.
   */
  public String fileTree(String projectId, String authorization) {
    StringBuilder out = new StringBuilder();
    int entries = 0;
    int listings = 0;
    boolean cut = false;
    Deque<String> dirs = new ArrayDeque<>();
    dirs.add("");
    try {
      while (!dirs.isEmpty()) {
        if (listings >= limits.maxTreeListings()) {
          cut = true;
          break;
        }
        String dir = dirs.poll();
        listings++;
        List<WorkspaceClient.FileEntry> listing =
            workspace.list(projectId, dir, authorization).stream()
                .sorted(
                    Comparator.comparing(
                        WorkspaceClient.FileEntry::path, Comparator.nullsLast(String::compareTo)))
                .toList();
        for (WorkspaceClient.FileEntry entry : listing) {
          if (entry.path() == null || ProjectPaths.problem(entry.path()) != null) continue;
          if (entries >= limits.maxTreeEntries()) {
            cut = true;
            break;
          }
          entries++;
          if (entry.directory()) {
            out.append(entry.path()).append("/\n");
            if (!SKIPPED_DIRS.contains(entry.name())) dirs.add(entry.path());
          } else {
            out.append(entry.path()).append(" (").append(entry.size()).append(" bytes)\n");
          }
        }
        if (cut) break;
      }
    } catch (ApiException e) {
      log.warn("file tree of project {} left out of the prompt: {}", projectId, e.getMessage());
      return "(The project's file list is unavailable right now.)";
    }
    if (out.length() == 0) {
      return "(The project has no files yet.)";
    }
    if (cut || !dirs.isEmpty()) {
      out.append("… (list cut off at ").append(entries).append(" entries)\n");
    }
    return out.toString();
  }

  /**
   * The attached files and selection as one text block for the user turn, read with the caller's
   * rights and bounded in size. Fails with 400 for a bad path, a missing file or a bad line range.
   */
  public String attachments(
      String projectId, String authorization, List<String> files, Selection selection) {
    List<String> paths = files == null ? List.of() : files;
    if (paths.size() > limits.maxAttachedFiles()) {
      throw new InvalidFieldException(
          "context.files",
          "At most " + limits.maxAttachedFiles() + " files can be attached to one message.");
    }
    StringBuilder out = new StringBuilder();
    int budget = limits.maxAttachedBytes();
    for (int i = 0; i < paths.size(); i++) {
      String field = "context.files[" + i + "]";
      String path = ProjectPaths.require(field, paths.get(i));
      int cap = Math.max(0, Math.min(limits.maxFileBytes(), budget));
      WorkspaceClient.FileContent content =
          workspace.read(projectId, path, authorization, cap, field);
      budget -= content.bytes().length;
      out.append("<file path=\"").append(path).append("\">\n");
      if (isBinary(content.bytes())) {
        out.append("(binary file, content left out)\n");
      } else {
        out.append(new String(content.bytes(), StandardCharsets.UTF_8));
        if (content.truncated())
          out.append("\n… (file cut off after ").append(content.bytes().length).append(" bytes)");
        out.append('\n');
      }
      out.append("</file>\n");
    }
    if (selection != null) {
      String path = ProjectPaths.require("context.selection.path", selection.path());
      if (selection.startLine() < 1 || selection.endLine() < selection.startLine()) {
        throw new InvalidFieldException(
            "context.selection", "context.selection needs 1 <= startLine <= endLine.");
      }
      WorkspaceClient.FileContent content =
          workspace.read(
              projectId,
              path,
              authorization,
              Math.max(1, Math.min(limits.maxFileBytes(), budget)),
              "context.selection.path");
      if (isBinary(content.bytes())) {
        throw new InvalidFieldException(
            "context.selection.path", "context.selection.path '" + path + "' is a binary file.");
      }
      String[] lines = new String(content.bytes(), StandardCharsets.UTF_8).split("\n", -1);
      if (selection.startLine() > lines.length) {
        throw new InvalidFieldException(
            "context.selection",
            "context.selection starts at line "
                + selection.startLine()
                + " but '"
                + path
                + "' has "
                + lines.length
                + " lines"
                + (content.truncated() ? " within the readable size" : "")
                + ".");
      }
      int end = Math.min(selection.endLine(), lines.length);
      out.append("<selection path=\"")
          .append(path)
          .append("\" lines=\"")
          .append(selection.startLine())
          .append('-')
          .append(end)
          .append("\">\n");
      for (int line = selection.startLine(); line <= end; line++) {
        out.append(lines[line - 1]).append('\n');
      }
      out.append("</selection>\n");
    }
    return out.toString();
  }

  /** Reads a file's text for an edit proposal; null when it is missing, binary or too large. */
  public String readText(String projectId, String authorization, String path, int maxBytes) {
    try {
      WorkspaceClient.FileContent content =
          workspace.read(projectId, path, authorization, maxBytes, "path");
      if (content.truncated() || isBinary(content.bytes())) return null;
      return new String(content.bytes(), StandardCharsets.UTF_8);
    } catch (ApiException e) {
      if (e.status().value() == 400) return null;
      throw e;
    }
  }

  static boolean isBinary(byte[] bytes) {
    int n = Math.min(bytes.length, 8000);
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) return true;
    }
    return false;
  }
}
