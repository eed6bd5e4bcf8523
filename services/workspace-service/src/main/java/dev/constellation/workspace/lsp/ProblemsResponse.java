package dev.constellation.workspace.lsp;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the language servers reported for the files asked about.
 *
 * @param languages the languages whose servers ran and answered
 * @param unavailable languages (or extensions no server knows) that could not be checked, and why
 */
record ProblemsResponse(
    List<Problem> problems, List<String> languages, List<Unavailable> unavailable) {

  /**
   * One diagnostic; lines and columns count from 1, columns in UTF-16 code units as the editor
   * counts.
   */
  record Problem(
      String path,
      int line,
      int column,
      int endLine,
      int endColumn,
      @Schema(allowableValues = {"error", "warning", "info", "hint"}) String severity,
      String message,
      String source,
      @Nullable String code) {}

  record Unavailable(String language, String reason) {}
}
