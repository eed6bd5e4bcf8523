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

  /** The language of a file by its name, with the LSP language id its server expects. */
  record FileLanguage(String language, String languageId) {}

  private static final Map<String, FileLanguage> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("ts", new FileLanguage("typescript", "typescript")),
          Map.entry("mts", new FileLanguage("typescript", "typescript")),
          Map.entry("cts", new FileLanguage("typescript", "typescript")),
          Map.entry("tsx", new FileLanguage("typescript", "typescriptreact")),
          Map.entry("js", new FileLanguage("javascript", "javascript")),
          Map.entry("mjs", new FileLanguage("javascript", "javascript")),
          Map.entry("cjs", new FileLanguage("javascript", "javascript")),
          Map.entry("jsx", new FileLanguage("javascript", "javascriptreact")),
          Map.entry("py", new FileLanguage("python", "python")),
          Map.entry("json", new FileLanguage("json", "json")),
          Map.entry("css", new FileLanguage("css", "css")),
          Map.entry("scss", new FileLanguage("css", "scss")),
          Map.entry("less", new FileLanguage("css", "less")),
          Map.entry("html", new FileLanguage("html", "html")),
          Map.entry("htm", new FileLanguage("html", "html")),
          Map.entry("md", new FileLanguage("markdown", "markdown")),
          Map.entry("yaml", new FileLanguage("yaml", "yaml")),
          Map.entry("yml", new FileLanguage("yaml", "yaml")));

  private Languages() {}

  /** The language of {@code path} by its extension; empty when no server knows it. */
  static Optional<FileLanguage> ofPath(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot <= 0) return Optional.empty();
    return Optional.ofNullable(
        BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT)));
  }

  /** javascript and typescript share one server: files of both go to one process. */
  static String server(String language) {
    return language.equals("javascript") ? "typescript" : language;
  }

  /** The command that starts the server of {@code language}; empty for an unknown one. */
  static Optional<List<String>> command(String language) {
    return language == null ? Optional.empty() : Optional.ofNullable(COMMANDS.get(language));
  }
}
