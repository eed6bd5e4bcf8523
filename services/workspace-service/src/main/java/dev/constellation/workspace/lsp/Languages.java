package dev.constellation.workspace.lsp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The language servers a workspace image carries (deploy/workspace-image: lsp/package.json and
 * python3-pylsp), by the language name of the URL. javascript is the TypeScript server too, as in
 * VS Code. A language missing here is refused at the ticket (404); a server missing from an image
 * closes the socket with 4404.
 */
final class Languages {
  private static final String NPM = "/opt/constellation/lsp/node_modules/.bin/";
  private static final List<String> TYPESCRIPT =
      List.of(NPM + "typescript-language-server", "--stdio");
  private static final Map<String, List<String>> COMMANDS =
      Map.of(
          "typescript", TYPESCRIPT,
          "javascript", TYPESCRIPT,
          "python", List.of("pylsp"),
          "json", List.of(NPM + "vscode-json-language-server", "--stdio"),
          "css", List.of(NPM + "vscode-css-language-server", "--stdio"),
          "html", List.of(NPM + "vscode-html-language-server", "--stdio"),
          "markdown", List.of(NPM + "vscode-markdown-language-server", "--stdio"),
          "yaml", List.of(NPM + "yaml-language-server", "--stdio"));

  private Languages() {}

  /** The command that starts the server of {@code language}; empty for an unknown one. */
  static Optional<List<String>> command(String language) {
    return language == null ? Optional.empty() : Optional.ofNullable(COMMANDS.get(language));
  }
}
