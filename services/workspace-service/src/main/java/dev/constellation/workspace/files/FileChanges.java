package dev.constellation.workspace.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one project seen since the last {@code files} event, one kind per path: a burst of
 * writes to a file is one {@code modified}, a file removed and made again is {@code modified}.
 * Beyond {@code cap} paths (an {@code npm install}) only "re-list everything" is kept.
 */
final class FileChanges {
  enum Kind {
    created,
    modified,
    deleted
  }

  record Change(String path, Kind kind) {}

  private final int cap;
  private final Map<String, Kind> pending = new LinkedHashMap<>();
  private boolean overflow;

  FileChanges(int cap) {
    this.cap = cap;
  }

  synchronized void add(String path, Kind kind) {
    if (overflow) return;
    Kind before = pending.get(path);
    pending.put(path, merge(before, kind));
    if (pending.size() > cap) markOverflow();
  }

  synchronized void markOverflow() {
    overflow = true;
    pending.clear();
  }

  synchronized boolean isEmpty() {
    return !overflow && pending.isEmpty();
  }

  /**
   * The event's data, {@code {changes: [{path, kind}], overflow}}, and a fresh start; null when
   * nothing changed.
   */
  synchronized Map<String, Object> drain() {
    if (isEmpty()) return null;
    List<Map<String, String>> changes = new ArrayList<>();
    pending.forEach((path, kind) -> changes.add(Map.of("path", path, "kind", kind.name())));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("changes", changes);
    data.put("overflow", overflow);
    pending.clear();
    overflow = false;
    return data;
  }

  private static Kind merge(Kind before, Kind now) {
    if (before == null) return now;
    return switch (now) {
      // still new to whoever saw the previous event
      case modified -> before == Kind.created ? Kind.created : Kind.modified;
      // replaced: the client's copy is stale, not gone
      case created -> before == Kind.deleted ? Kind.modified : Kind.created;
      // even a path made within this window: "created" may have been a re-report of a known one
      case deleted -> Kind.deleted;
    };
  }
}
