package dev.constellation.workspace.lsp;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The files to check, relative to the project root. */
record ProblemsRequest(
    @NotNull @NotEmpty @Size(max = ProblemsRequest.MAX_PATHS) List<@NotNull String> paths) {
  static final int MAX_PATHS = 20;
}
