package dev.constellation.workspace.search;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A find in files: {@code query} is literal text unless {@code regex}; globs use .gitignore syntax
 * relative to the project root ({@code *.ts}, {@code src/**}).
 */
record SearchRequest(
    @Nullable @Size(max = 1000, message = "The search text may be at most 1,000 characters.")
        String query,
    @Nullable Boolean regex,
    @Nullable Boolean caseSensitive,
    @Nullable Boolean wholeWord,
    @Nullable @Size(max = 50, message = "At most 50 include globs.") List<String> include,
    @Nullable @Size(max = 50, message = "At most 50 exclude globs.") List<String> exclude,
    @Nullable @Positive @Max(value = 10_000, message = "maxResults may be at most 10,000.")
        Integer maxResults) {

  static final int DEFAULT_MAX_RESULTS = 2_000;

  int cap() {
    return maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
  }

  List<String> includes() {
    return include == null ? List.of() : include;
  }

  List<String> excludes() {
    return exclude == null ? List.of() : exclude;
  }

  /** The one expression both engines run; missing switches are off. */
  SearchPattern pattern() {
    return SearchPattern.of(
        query,
        Boolean.TRUE.equals(regex),
        Boolean.TRUE.equals(caseSensitive),
        Boolean.TRUE.equals(wholeWord));
  }
}
