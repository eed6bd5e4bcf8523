package dev.constellation.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings from the environment, with a {@code .env} file filling in what the environment lacks.
 */
final class DotEnv {
  private DotEnv() {}

  static Map<String, String> load(Path file) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) continue;
        if (trimmed.startsWith("export ")) trimmed = trimmed.substring(7).trim();
        String key = trimmed.substring(0, trimmed.indexOf('=')).trim();
        String value = trimmed.substring(trimmed.indexOf('=') + 1).trim();
        if (value.length() >= 2
            && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        settings.put(key, value);
      }
    }
    settings.putAll(System.getenv());
    settings.values().removeIf(String::isEmpty);
    return settings;
  }
}
