package dev.constellation.workspace.search;

import com.google.re2j.Matcher;
import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.files.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Replace across files and its one undo. Every new content is computed before anything is written,
 * so a replacement that cannot be applied changes nothing; each write is conditional on the ETag
 * the user previewed (the files API's If-Match), so a file changed since is reported, never
 * overwritten. The undo keeps the previous contents in memory, bounded in time and bytes: the one
 * latest replace per user and project.
 */
@Service
class ReplaceService {
  static final Duration UNDO_KEPT = Duration.ofMinutes(10);

  /** All undo entries together; the oldest go first when a new one does not fit. */
  static final long MAX_UNDO_BYTES = 64L * 1024 * 1024;

  /** What one replace may read and rewrite in memory. */
  static final long MAX_REPLACE_BYTES = 64L * 1024 * 1024;

  private record Before(String path, byte[] content, String etagAfter) {}

  private record Undo(
      String userId, String projectId, Instant createdAt, List<Before> files, long bytes) {}

  private record Planned(String path, String etag, byte[] before, byte[] after, int count) {}

  private final ProjectFiles files;
  private final Clock clock;
  private final Map<String, Undo> undos = new LinkedHashMap<>();

  ReplaceService(ProjectFiles files) {
    this.files = files;
    this.clock = Clock.systemUTC();
  }

  ReplaceResults replace(String projectId, String userId, ReplaceRequest request) {
    SearchPattern pattern = request.pattern();
    List<ReplaceResults.Skipped> skipped = new ArrayList<>();
    List<Planned> plan = new ArrayList<>();
    long bytes = 0;
    for (ReplaceRequest.PreviewedFile file : request.files()) {
      ProjectFiles.Content content;
      try {
        content = files.read(projectId, file.path());
      } catch (ApiException e) {
        skipped.add(new ReplaceResults.Skipped(file.path(), e.getMessage()));
        continue;
      }
      if (!content.etag().equals(file.etag())) {
        skipped.add(changedSincePreview(file.path()));
        continue;
      }
      if (content.bytes().length > WalkSearch.MAX_FILE_BYTES
          || WalkSearch.isBinary(content.bytes())) {
        skipped.add(
            new ReplaceResults.Skipped(
                file.path(), "Binary files and files over 1 MB are not searched or replaced in."));
        continue;
      }
      if (!WalkSearch.isUtf8(content.bytes())) {
        skipped.add(
            new ReplaceResults.Skipped(
                file.path(), "It is not UTF-8 text; rewriting it could damage it."));
        continue;
      }
      bytes += content.bytes().length;
      if (bytes > MAX_REPLACE_BYTES)
        throw ApiException.badRequest(
            "These files hold more than 64 MB together; replace in fewer files at once.");
      Replaced replaced =
          replace(WalkSearch.decode(content.bytes()), pattern, request.replacement());
      if (replaced.count() == 0) {
        skipped.add(new ReplaceResults.Skipped(file.path(), "No match any more."));
        continue;
      }
      plan.add(
          new Planned(
              file.path(),
              content.etag(),
              content.bytes(),
              replaced.text().getBytes(StandardCharsets.UTF_8),
              replaced.count()));
    }
    List<ReplaceResults.Changed> changed = new ArrayList<>();
    List<Before> befores = new ArrayList<>();
    for (Planned p : plan) {
      try {
        String etag =
            files.write(projectId, p.path(), new ByteArrayInputStream(p.after()), p.etag()).etag();
        changed.add(new ReplaceResults.Changed(p.path(), p.count(), etag));
        befores.add(new Before(p.path(), p.before(), etag));
      } catch (ApiException e) {
        skipped.add(
            "etag-mismatch".equals(e.type())
                ? changedSincePreview(p.path())
                : new ReplaceResults.Skipped(p.path(), e.getMessage()));
      }
    }
    String undoId = changed.isEmpty() ? "" : remember(projectId, userId, befores);
    return new ReplaceResults(changed, skipped, undoId);
  }

  ReplaceResults.Undone undo(String projectId, String userId, String undoId) {
    Undo undo;
    synchronized (undos) {
      expire();
      undo = undos.get(undoId);
      if (undo == null || !undo.userId().equals(userId) || !undo.projectId().equals(projectId))
        throw ApiException.notFound(
            "There is nothing to undo: the replace was undone already, is older than 10 minutes,"
                + " or another replace came after it.");
      undos.remove(undoId);
    }
    List<ReplaceResults.Changed> restored = new ArrayList<>();
    List<ReplaceResults.Skipped> skipped = new ArrayList<>();
    for (Before before : undo.files()) {
      try {
        String etag =
            files
                .write(
                    projectId,
                    before.path(),
                    new ByteArrayInputStream(before.content()),
                    before.etagAfter())
                .etag();
        restored.add(new ReplaceResults.Changed(before.path(), 0, etag));
      } catch (ApiException e) {
        skipped.add(
            new ReplaceResults.Skipped(
                before.path(),
                "etag-mismatch".equals(e.type())
                    ? "It changed after the replace; it was left as it is."
                    : e.getMessage()));
      }
    }
    return new ReplaceResults.Undone(restored, skipped);
  }

  private static ReplaceResults.Skipped changedSincePreview(String path) {
    return new ReplaceResults.Skipped(
        path, "It changed since the search; search again to see its matches.");
  }

  record Replaced(String text, int count) {}

  /** Line by line, as the search matched (a line's CR stays out of the match, as in the search). */
  static Replaced replace(String text, SearchPattern pattern, String replacement) {
    StringBuilder out = new StringBuilder(text.length());
    int count = 0;
    int start = 0;
    while (true) {
      int end = text.indexOf('\n', start);
      int lineEnd = end < 0 ? text.length() : end;
      int visibleEnd = lineEnd > start && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      String line = text.substring(start, visibleEnd);
      int found = 0;
      Matcher m = pattern.matcher(line);
      while (m.find()) if (m.end() > m.start()) found++;
      if (found > 0) {
        try {
          out.append(pattern.replaceAll(line, replacement));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
          throw ApiException.validation(
              "replacement",
              "The replacement refers to a group the regular expression does not have: "
                  + e.getMessage()
                  + ".");
        }
        count += found;
      } else {
        out.append(line);
      }
      out.append(text, visibleEnd, lineEnd);
      if (end < 0) break;
      out.append('\n');
      start = end + 1;
    }
    return new Replaced(out.toString(), count);
  }

  private String remember(String projectId, String userId, List<Before> befores) {
    long bytes = befores.stream().mapToLong(b -> b.content().length).sum();
    String id = UUID.randomUUID().toString();
    synchronized (undos) {
      expire();
      // One undo per user and project: a newer replace takes the place of the older one.
      undos.values().removeIf(u -> u.userId().equals(userId) && u.projectId().equals(projectId));
      if (bytes > MAX_UNDO_BYTES) return "";
      long total = undos.values().stream().mapToLong(Undo::bytes).sum();
      for (Iterator<Undo> it = undos.values().iterator();
          it.hasNext() && total + bytes > MAX_UNDO_BYTES; ) {
        total -= it.next().bytes();
        it.remove();
      }
      undos.put(id, new Undo(userId, projectId, clock.instant(), List.copyOf(befores), bytes));
    }
    return id;
  }

  private void expire() {
    Instant oldest = clock.instant().minus(UNDO_KEPT);
    undos.values().removeIf(u -> u.createdAt().isBefore(oldest));
  }
}
