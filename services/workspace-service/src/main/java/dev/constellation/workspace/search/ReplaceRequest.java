package dev.constellation.workspace.search;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Replace across the files the user previewed: each file with the ETag its matches were shown from,
 * so a file changed since then is left alone.
 */
record ReplaceRequest(
    @Nullable @Size(max = 1000, message = "The search text may be at most 1,000 characters.")
        String query,
    @Nullable Boolean regex,
    @Nullable Boolean caseSensitive,
    @Nullable Boolean wholeWord,
    @NotNull @Size(max = 1000, message = "The replacement may be at most 1,000 characters.")
        String replacement,
    @NotEmpty(message = "Choose at least one file to replace in.")
        @Size(max = 2000, message = "At most 2,000 files can be replaced in at once.")
        List<@Valid PreviewedFile> files) {

  record PreviewedFile(@NotNull String path, @NotNull String etag) {}

  /** The one expression both engines run; missing switches are off. */
  SearchPattern pattern() {
    return SearchPattern.of(
        query,
        Boolean.TRUE.equals(regex),
        Boolean.TRUE.equals(caseSensitive),
        Boolean.TRUE.equals(wholeWord));
  }
}
