package dev.constellation.claude.context;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Turns a project into prompt text: its file tree, and the files and selection a user attaches. */
@Component
public class ProjectContext {
  private static final Logger log = LoggerFactory.getLogger(ProjectContext.class);

  /** A selection of lines, 1-based and inclusive. */
  public record Selection(String path, int startLine, int endLine) {}

  private final WorkspaceClient workspace;
  private final ClaudeProperties.Context limits;

  ProjectContext(WorkspaceClient workspace, ClaudeProperties properties) {
    this.workspace = workspace;
    this.limits = properties.context();
  }

  /** How long a project's tree is reused between prompts; the agent's writes drop it at once. */
  private static final long TREE_TTL_NANOS = 10_000_000_000L;

  private record CachedTree(String text, long at) {}

  private final Map<String, CachedTree> trees = new ConcurrentHashMap<>();

  /**
   * The project's files for the prompt, from ONE call to workspace-service's tree (breadth first,
   * generated folders listed but not entered), reused for a few seconds per project. Callers have
   * checked the user's access to the project. An unreachable workspace service leaves the tree out
   * rather than failing the chat.
   */
  public String fileTree(String projectId, String authorization) {
    CachedTree cached = trees.get(projectId);
    if (cached != null && System.nanoTime() - cached.at() < TREE_TTL_NANOS) return cached.text();
    WorkspaceClient.Tree tree;
    try {
      tree = workspace.tree(projectId, "", Math.max(1, limits.maxTreeEntries()), authorization);
    } catch (WorkspaceClient.Failure | ApiException e) {
      log.warn("file tree of project {} left out of the prompt: {}", projectId, e.getMessage());
      return "(The project's file list is unavailable right now.)";
    }
    String text = render(tree);
    if (trees.size() > 1000) trees.clear();
    trees.put(projectId, new CachedTree(text, System.nanoTime()));
    return text;
  }

  /** Forgets the cached tree of a project, after a write changed it. */
  public void treeChanged(String projectId) {
    trees.remove(projectId);
  }

  static String render(WorkspaceClient.Tree tree) {
    StringBuilder out = new StringBuilder();
    for (WorkspaceClient.TreeEntry entry : tree.entries()) {
      if (entry.path() == null || ProjectPaths.problem(entry.path()) != null) continue;
      if ("dir".equals(entry.type())) {
        out.append(entry.path()).append("/\n");
      } else {
        out.append(entry.path()).append(" (").append(entry.size()).append(" bytes)\n");
      }
    }
    if (out.length() == 0) return "(The project has no files yet.)";
    if (tree.truncated()) {
      out.append("… (list cut off at ").append(tree.entries().size()).append(" entries)\n");
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
