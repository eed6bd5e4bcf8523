package dev.constellation.workspace.search;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.constellation.common.problem.ApiException;

/**
 * The one regular expression both engines run. Literal text is escaped here, whole words and case
 * become part of the expression, so ripgrep (Rust's regex) and the walk (RE2/J) get the same
 * syntax: both are linear-time engines with the RE2 dialect, and neither can be made to hang.
 */
final class SearchPattern {
  private static final String META = "\\.+*?()|[]{}^$";

  private final String expression;
  private final Pattern pattern;
  private final boolean literal;

  private SearchPattern(String expression, Pattern pattern, boolean literal) {
    this.expression = expression;
    this.pattern = pattern;
    this.literal = literal;
  }

  static SearchPattern of(String query, boolean regex, boolean caseSensitive, boolean wholeWord) {
    if (query == null || query.isEmpty())
      throw ApiException.validation("query", "Type something to search for.");
    if (query.indexOf('\n') >= 0 || query.indexOf('\r') >= 0)
      throw ApiException.validation("query", "The search text must be on one line.");
    String core = regex ? query : escape(query);
    if (regex) {
      try {
        Pattern.compile(core);
      } catch (PatternSyntaxException e) {
        throw ApiException.validation(
            "query", "The regular expression is not valid: " + e.getDescription() + ".");
      }
    }
    String expression =
        (caseSensitive ? "" : "(?i)") + (wholeWord ? "\\b(?:" + core + ")\\b" : core);
    Pattern pattern;
    try {
      pattern = Pattern.compile(expression);
    } catch (PatternSyntaxException e) {
      throw ApiException.validation(
          "query", "The regular expression is not valid: " + e.getDescription() + ".");
    }
    if (pattern.matches("")) {
      throw ApiException.validation(
          "query", "The regular expression matches empty text; it would match every line.");
    }
    return new SearchPattern(expression, pattern, !regex);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (META.indexOf(c) >= 0) out.append('\\');
      out.append(c);
    }
    return out.toString();
  }

  /** The expression for ripgrep's {@code -e}. */
  String expression() {
    return expression;
  }

  Matcher matcher(CharSequence line) {
    return pattern.matcher(line);
  }

  /**
   * {@code line} with every match replaced; {@code $1} and {@code ${name}} name groups of a regular
   * expression, a literal search replaces with the text as typed.
   */
  String replaceAll(String line, String replacement) {
    return pattern
        .matcher(line)
        .replaceAll(literal ? Matcher.quoteReplacement(replacement) : replacement);
  }
}
