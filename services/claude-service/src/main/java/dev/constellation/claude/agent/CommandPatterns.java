package dev.constellation.claude.agent;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Globs a user allows commands by ({@code npm test*}): {@code *} any text, {@code ?} one character.
 * A command with a shell metacharacter is never allowed by a pattern, since {@code npm test; curl
 * …} would otherwise match {@code npm test*}.
 */
final class CommandPatterns {
  private static final Pattern METACHARACTERS = Pattern.compile("[;|&$`><\\n\\r]");
  static final int MAX_LENGTH = 200;

  private CommandPatterns() {}

  static boolean hasMetacharacters(String command) {
    return METACHARACTERS.matcher(command).find();
  }

  /** Why {@code pattern} cannot be stored, or null when it can. */
  static String problem(String pattern) {
    if (pattern == null || pattern.isBlank()) return "pattern is required with allow: command.";
    if (pattern.length() > MAX_LENGTH)
      return "pattern is at most " + MAX_LENGTH + " characters long.";
    if (hasMetacharacters(pattern))
      return "pattern may not contain shell metacharacters (; | & $ ` > < or a line break).";
    if (pattern.replace("*", "").replace("?", "").isBlank())
      return "pattern must name a command, e.g. \"npm test*\"; wildcards alone would allow everything.";
    return null;
  }

  static boolean allows(List<String> patterns, String command) {
    if (command == null || hasMetacharacters(command)) return false;
    for (String p : patterns) {
      if (problem(p) == null && matches(p, command.strip())) return true;
    }
    return false;
  }

  static boolean matches(String glob, String command) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.strip().toCharArray()) {
      if (c == '*') regex.append(".*");
      else if (c == '?') regex.append('.');
      else regex.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(command).matches();
  }
}
