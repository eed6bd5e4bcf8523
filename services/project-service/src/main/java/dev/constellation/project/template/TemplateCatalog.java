package dev.constellation.project.template;

import dev.constellation.common.problem.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The templates a project can start from: the folders shipped under {@code templates/} on the
 * classpath, plus the folders an installation drops into {@link TemplateProperties#dir()}. The
 * installation folder is read on every call so that a dropped folder counts without a restart; an
 * installed template replaces a shipped one with the same id.
 */
@Component
public class TemplateCatalog {
  private static final Logger log = LoggerFactory.getLogger(TemplateCatalog.class);
  static final String METADATA = "template.json";
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private record Shipped(Template template, Map<String, byte[]> files) {}

  private final Map<String, Shipped> shipped;
  private final Path installed;
  private final JsonMapper json;

  TemplateCatalog(TemplateProperties properties, JsonMapper json) throws IOException {
    this.json = json;
    this.installed =
        properties.dir() == null ? null : properties.dir().toAbsolutePath().normalize();
    this.shipped = loadShipped();
    log.info("templates: {} shipped, installation folder {}", shipped.keySet(), installed);
  }

  public List<Template> list() {
    Map<String, Template> all = new TreeMap<>();
    shipped.forEach((id, s) -> all.put(id, s.template()));
    installedFolders().forEach(dir -> all.put(dir.getFileName().toString(), readInstalled(dir)));
    return new ArrayList<>(all.values());
  }

  public Optional<Template> find(String id) {
    if (id == null || !ID.matcher(id).matches()) return Optional.empty();
    Path dir = installedFolder(id);
    if (dir != null) return Optional.of(readInstalled(dir));
    return Optional.ofNullable(shipped.get(id)).map(Shipped::template);
  }

  /**
   * The template's files (never its template.json) as a zip, for workspace-service to unpack into a
   * new project: this service keeps templates as data and never writes a project's files.
   */
  public byte[] zipOf(String id) throws IOException {
    Path dir = ID.matcher(id).matches() ? installedFolder(id) : null;
    Map<String, byte[]> files = new TreeMap<>();
    if (dir != null) {
      readInstalledFiles(dir, files);
    } else {
      Shipped s = shipped.get(id);
      if (s == null) throw ApiException.validation("templateId", "No template '" + id + "'.");
      files.putAll(s.files());
    }
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes)) {
      for (var file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private Map<String, Shipped> loadShipped() throws IOException {
    var resolver = new PathMatchingResourcePatternResolver(getClass().getClassLoader());
    Map<String, Shipped> result = new LinkedHashMap<>();
    for (Resource meta : resolver.getResources("classpath*:templates/*/" + METADATA)) {
      String url = meta.getURL().toString();
      String base = url.substring(0, url.length() - METADATA.length());
      String id = base.substring(0, base.length() - 1);
      id = id.substring(id.lastIndexOf('/') + 1);
      if (!ID.matcher(id).matches() || result.containsKey(id)) continue;
      Map<String, byte[]> files = new TreeMap<>();
      for (Resource r : resolver.getResources("classpath*:templates/" + id + "/**")) {
        String u = r.getURL().toString();
        if (!u.startsWith(base) || u.endsWith("/") || isDirectory(r)) continue;
        String relative = u.substring(base.length());
        if (relative.equals(METADATA)) continue;
        try (InputStream in = r.getInputStream()) {
          files.put(
              java.net.URLDecoder.decode(relative, java.nio.charset.StandardCharsets.UTF_8),
              in.readAllBytes());
        }
      }
      try (InputStream in = meta.getInputStream()) {
        result.put(id, new Shipped(toTemplate(id, json.readTree(in)), files));
      }
    }
    return result;
  }

  private static boolean isDirectory(Resource r) {
    try {
      return r.isFile() && r.getFile().isDirectory();
    } catch (IOException e) {
      return false;
    }
  }

  private List<Path> installedFolders() {
    if (installed == null || !Files.isDirectory(installed)) return List.of();
    try (Stream<Path> children = Files.list(installed)) {
      return children
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> ID.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.naturalOrder())
          .toList();
    } catch (IOException e) {
      log.warn("cannot list installed templates in {}: {}", installed, e.toString());
      return List.of();
    }
  }

  private Path installedFolder(String id) {
    if (installed == null) return null;
    Path dir = installed.resolve(id);
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? dir : null;
  }

  private Template readInstalled(Path dir) {
    String id = dir.getFileName().toString();
    Path meta = dir.resolve(METADATA);
    if (!Files.isRegularFile(meta)) return new Template(id, id, "", "");
    try {
      return toTemplate(id, json.readTree(Files.readAllBytes(meta)));
    } catch (IOException | RuntimeException e) {
      log.warn("template {} has an unreadable {}: {}", id, METADATA, e.toString());
      return new Template(id, id, "", "");
    }
  }

  private static Template toTemplate(String id, JsonNode node) {
    return new Template(
        id, text(node, "name", id), text(node, "description", ""), text(node, "language", ""));
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? fallback : value.asString();
  }

  // Symlinks in an installed template are skipped: a template must not pull in files from
  // elsewhere.
  private static void readInstalledFiles(Path source, Map<String, byte[]> files)
      throws IOException {
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String relative =
                source.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            if (attrs.isRegularFile() && !relative.equals(METADATA))
              files.put(relative, Files.readAllBytes(file));
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
