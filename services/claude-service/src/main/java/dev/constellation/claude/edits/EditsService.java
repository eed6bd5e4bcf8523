package dev.constellation.claude.edits;

import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.claude.config.InvalidFieldException;
import dev.constellation.claude.context.ProjectContext;
import dev.constellation.claude.context.ProjectPaths;
import dev.constellation.claude.context.PromptTexts;
import dev.constellation.claude.context.TokenEstimate;
import dev.constellation.claude.edits.EditsController.ProposeEditsRequest;
import dev.constellation.claude.edits.EditsController.ProposeEditsResponse;
import dev.constellation.claude.edits.EditsController.ProposedEdit;
import dev.constellation.claude.edits.EditsController.RejectedEdit;
import dev.constellation.claude.upstream.ClaudeClient;
import dev.constellation.claude.upstream.Prompt;
import dev.constellation.claude.upstream.ToolCall;
import dev.constellation.claude.upstream.ToolSpec;
import dev.constellation.claude.usage.AiCall;
import dev.constellation.claude.usage.UsageService;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Asks the model for file edits through a forced tool call and returns only edits that pass
 * validation.
 */
@Service
class EditsService {
  static final String TOOL = "propose_edits";
  private static final Set<String> ACTIONS = Set.of("create", "modify", "delete");

  static final ToolSpec PROPOSE_EDITS =
      new ToolSpec(
          TOOL,
          "Propose changes to the project's files. Give the complete new content of every created or modified file.",
          Map.of(
              "summary",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "What the edits do and why, in a few sentences."),
              "edits",
                  Map.of(
                      "type",
                      "array",
                      "items",
                      Map.of(
                          "type", "object",
                          "properties",
                              Map.of(
                                  "path",
                                      Map.of(
                                          "type",
                                          "string",
                                          "description",
                                          "Path relative to the project root, with / separators."),
                                  "action",
                                      Map.of(
                                          "type",
                                          "string",
                                          "enum",
                                          List.of("create", "modify", "delete")),
                                  "content",
                                      Map.of(
                                          "type",
                                          "string",
                                          "description",
                                          "Full new file content; omit for delete.")),
                          "required", List.of("path", "action")))),
          List.of("summary", "edits"));

  private final ClaudeClient claude;
  private final ProjectContext context;
  private final UsageService usage;
  private final ClaudeProperties properties;

  EditsService(
      ClaudeClient claude,
      ProjectContext context,
      UsageService usage,
      ClaudeProperties properties) {
    this.claude = claude;
    this.context = context;
    this.usage = usage;
    this.properties = properties;
  }

  ProposeEditsResponse propose(
      String projectId, AuthenticatedUser user, String authorization, ProposeEditsRequest body) {
    var limits = properties.limits();
    if (body == null || body.instruction() == null || body.instruction().isBlank()) {
      throw new InvalidFieldException(
          "instruction", "instruction is required: say what to change.");
    }
    if (body.instruction().length() > limits.maxInstructionChars()) {
      throw new InvalidFieldException(
          "instruction",
          "instruction is "
              + body.instruction().length()
              + " characters long; at most "
              + limits.maxInstructionChars()
              + " are allowed.");
    }
    List<String> paths = body.paths() == null ? List.of() : body.paths();
    if (paths.size() > properties.context().maxAttachedFiles()) {
      throw new InvalidFieldException(
          "paths", "At most " + properties.context().maxAttachedFiles() + " paths can be given.");
    }
    for (int i = 0; i < paths.size(); i++) ProjectPaths.require("paths[" + i + "]", paths.get(i));
    claude.requireConfigured();

    Map<String, String> originals = new HashMap<>();
    StringBuilder files = new StringBuilder();
    for (String path : paths) {
      String text =
          context.readText(projectId, authorization, path, properties.context().maxFileBytes());
      originals.put(path, text);
      files
          .append("<file path=\"")
          .append(path)
          .append("\">\n")
          .append(text == null ? "(does not exist yet, or is binary or too large to show)\n" : text)
          .append(text != null && !text.endsWith("\n") ? "\n" : "")
          .append("</file>\n");
    }
    String tree = context.fileTree(projectId, authorization);
    Prompt prompt =
        new Prompt(
            List.of(
                new Prompt.SystemBlock(
                    PromptTexts.EDITS
                        + "\n\nFiles of the project (paths relative to its root):\n"
                        + tree,
                    true)),
            List.of(
                Prompt.Turn.user(
                    (files.length() == 0
                            ? ""
                            : "Current content of the files concerned:\n" + files + "\n")
                        + "Instruction: "
                        + body.instruction())),
            properties.anthropic().maxEditTokens());
    long maxTokens =
        prompt.maxTokens()
            + TokenEstimate.of(prompt.system().get(0).text())
            + TokenEstimate.of(prompt.turns().get(0).text());
    ToolCall call;
    try (AiCall admitted = usage.begin(user, projectId, maxTokens)) {
      try {
        call = claude.callTool(prompt, PROPOSE_EDITS);
      } catch (ApiException e) {
        usage.finish(admitted, claude.model(), "edits", null, "error");
        throw e;
      }
      usage.finish(admitted, claude.model(), "edits", call.usage(), "ok");
    }
    return validate(projectId, authorization, call.input(), originals);
  }

  ProposeEditsResponse validate(
      String projectId,
      String authorization,
      Map<String, Object> input,
      Map<String, String> originals) {
    var limits = properties.limits();
    String summary = input.get("summary") instanceof String s ? s : "";
    List<ProposedEdit> accepted = new ArrayList<>();
    List<RejectedEdit> rejected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Object raw = input.get("edits");
    List<?> proposed = raw instanceof List<?> list ? list : List.of();
    for (Object item : proposed) {
      if (!(item instanceof Map<?, ?> edit)) {
        rejected.add(new RejectedEdit(null, "not an object"));
        continue;
      }
      String path = edit.get("path") instanceof String p ? p : null;
      String action = edit.get("action") instanceof String a ? a : null;
      Object content = edit.get("content");
      String reason = ProjectPaths.problem(path);
      if (reason != null) {
        reason = "path " + reason;
      } else if (action == null || !ACTIONS.contains(action)) {
        reason = "action must be create, modify or delete";
      } else if (!seen.add(path)) {
        reason = "path appears in more than one edit";
      } else if (accepted.size() >= limits.maxEdits()) {
        reason = "more than " + limits.maxEdits() + " edits";
      } else if (!action.equals("delete")) {
        if (!(content instanceof String)) {
          reason = "content is required for " + action;
        } else if (((String) content).indexOf('\0') >= 0) {
          reason = "content is not text";
        } else if (((String) content).getBytes(StandardCharsets.UTF_8).length
            > limits.maxEditBytes()) {
          reason = "content is larger than " + limits.maxEditBytes() + " bytes";
        }
      }
      if (reason != null) {
        rejected.add(
            new RejectedEdit(path == null ? null : path.replaceAll("\\p{Cntrl}", "?"), reason));
        continue;
      }
      // Content only: the editor diffs it against the file as it is when the user reviews it.
      accepted.add(
          new ProposedEdit(path, action, action.equals("delete") ? null : (String) content));
    }
    return new ProposeEditsResponse(summary, accepted, rejected);
  }
}
