package dev.constellation.claude.edits;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.constellation.claude.config.AccessGuard;
import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.servlet.Caller;
import dev.constellation.common.servlet.CurrentUser;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EditsController {

  record ProposeEditsRequest(String instruction, @Nullable List<String> paths) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ProposedEdit(
      String path,
      @Schema(allowableValues = {"create", "modify", "delete"}) String action,
      @Nullable String content) {}

  record RejectedEdit(String path, String reason) {}

  /** {@code rejected} lists what the model proposed but validation refused; it is never applied. */
  record ProposeEditsResponse(
      String summary, List<ProposedEdit> edits, List<RejectedEdit> rejected) {}

  private final EditsService edits;
  private final AccessGuard access;

  EditsController(EditsService edits, AccessGuard access) {
    this.edits = edits;
    this.access = access;
  }

  /** Proposes edits; nothing is written until the client applies them with the file API. */
  @PostMapping("/api/projects/{projectId}/ai/edits")
  ProposeEditsResponse propose(
      @PathVariable String projectId,
      @RequestBody ProposeEditsRequest body,
      @CurrentUser Caller caller) {
    access.require(caller.user(), projectId, ProjectAction.WRITE);
    return edits.propose(projectId, caller.user(), caller.authorization(), body);
  }
}
