package dev.constellation.workspace.files;

import dev.constellation.common.problem.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A project's files as one zip, both ways: the export streamed from a no-follow walk, the import
 * (an upload, or a template's files sent by project-service) checked and unpacked into a staging
 * folder through the same descriptors, then renamed into place in one step, so a project's
 * directory is either absent or complete. Sizes are counted from the bytes actually inflated, never
 * from the sizes the archive claims.
 */
@Service
class ProjectArchives {
  record Imported(int files, long bytes) {}

  private static final int S_IFMT = 0170000;
  private static final int S_IFLNK = 0120000;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private final ProjectTree tree;
  private final DiskProperties limits;

  ProjectArchives(ProjectTree tree, DiskProperties limits) {
    this.tree = tree;
    this.limits = limits;
  }

  // ---- export

  /**
   * Writes every directory and regular file of the project; links, FIFOs and devices are left out,
   * never followed.
   */
  void export(String projectId, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    try (Dir project = tree.openProject(projectId, false)) {
      exportDir(project, "", zip);
    } catch (java.nio.file.NoSuchFileException noDirectoryYet) {
      // a project nobody wrote to exports as an empty archive
    }
    zip.finish();
    zip.flush();
  }

  /**
   * Writes one folder of a project (opened by the caller, who closes it) as a zip whose entries are
   * relative to that folder; like the export, links are left out and never followed.
   */
  void exportFolder(Dir folder, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    exportDir(folder, "", zip);
    zip.finish();
    zip.flush();
  }

  private void exportDir(Dir dir, String prefix, ZipOutputStream zip) throws IOException {
    List<String> names = dir.names();
    Collections.sort(names);
    for (String name : names) {
      if (name.startsWith(ProjectFiles.TEMP_PREFIX)) continue;
      Dir.Entry entry = dir.openEntry(name);
      if (entry == null) continue;
      try (entry) {
        if (entry instanceof Dir.SubDir sub) {
          zip.putNextEntry(new ZipEntry(prefix + name + "/"));
          zip.closeEntry();
          exportDir(sub.dir(), prefix + name + "/", zip);
        } else if (entry instanceof Dir.RegularFile file) {
          ZipEntry zipEntry = new ZipEntry(prefix + name);
          zipEntry.setLastModifiedTime(file.attributes().lastModifiedTime());
          zip.putNextEntry(zipEntry);
          copy(file.channel(), file.attributes().size(), zip);
          zip.closeEntry();
        }
      }
    }
  }

  // A file that grows while exported is cut at the size it had when opened.
  private static void copy(FileChannel in, long size, OutputStream out) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long left = size;
    while (left > 0) {
      buffer.clear();
      if (left < buffer.capacity()) buffer.limit((int) left);
      int n = in.read(buffer);
      if (n < 0) break;
      out.write(buffer.array(), 0, n);
      left -= n;
    }
  }

  // ---- import

  /**
   * Creates the project's directory from a zip arriving on {@code body}. Refused with a problem and
   * nothing written: an upload over the size limit, too many entries (counted before the central
   * directory is parsed), a zip bomb, a link, a path leaving the project, an archive that would
   * take the project past its quota, a full disk.
   */
  Imported importArchive(
      String projectId, InputStream body, long declaredLength, boolean allowEmpty)
      throws IOException {
    long maxUpload = limits.maxUploadBytes().toBytes();
    if (declaredLength > maxUpload) throw uploadTooLarge();
    Path upload = Files.createTempFile("constellation-import-", ".zip");
    try {
      spool(body, upload, maxUpload);
      try (FileChannel channel = FileChannel.open(upload, StandardOpenOption.READ)) {
        ZipDirectory.countEntries(channel, limits.maxEntries());
      } catch (ZipDirectory.Refused e) {
        throw refused(e.getMessage());
      }
      try (ZipFile zip = open(upload)) {
        return extract(projectId, zip, Files.size(upload), allowEmpty);
      }
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  private static void spool(InputStream body, Path upload, long maxUpload) throws IOException {
    try (OutputStream out = Files.newOutputStream(upload, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = body.read(buffer)) >= 0) {
        total += n;
        if (total > maxUpload) throw uploadTooLarge();
        out.write(buffer, 0, n);
      }
    }
  }

  private Imported extract(String projectId, ZipFile zip, long archiveSize, boolean allowEmpty)
      throws IOException {
    List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
    if (entries.isEmpty() && !allowEmpty) throw refused("The archive is empty.");
    for (ZipArchiveEntry e : entries) checkEntry(e, zip);
    String prefix = commonTopFolder(entries);
    long budget = Math.min(limits.maxTotalBytes().toBytes(), tree.quota());
    long ratioAfter = limits.ratioCheckAfterBytes().toBytes();

    try (Dir top = tree.openRoot()) {
      if (top.attributesOrNull(projectId) != null) {
        throw ApiException.conflict(
            "Project "
                + projectId
                + " already has files; an archive only creates a project's files.");
      }
      String stagingName = tree.newStagingName(top);
      try (Dir staging = top.openDir(ProjectTree.STAGING)) {
        boolean done = false;
        try {
          Imported result;
          try (Dir target = staging.openDir(stagingName)) {
            result = unpack(zip, entries, prefix, target, budget, ratioAfter, archiveSize);
          }
          tree.own(staging, stagingName);
          try {
            staging.stream().move(Path.of(stagingName), top.stream(), Path.of(projectId));
          } catch (DirectoryNotEmptyException | FileAlreadyExistsException raced) {
            throw ApiException.conflict(
                "Project "
                    + projectId
                    + " already has files; an archive only creates a project's files.");
          }
          done = true;
          tree.forget(projectId);
          return result;
        } catch (IOException e) {
          if (Dir.isNoSpace(e)) throw ProjectTree.diskFull();
          throw e;
        } finally {
          if (!done) tree.deleteTree(staging, stagingName);
        }
      }
    }
  }

  private Imported unpack(
      ZipFile zip,
      List<ZipArchiveEntry> entries,
      String prefix,
      Dir target,
      long budget,
      long ratioAfter,
      long archiveSize)
      throws IOException {
    long total = 0;
    int count = 0;
    byte[] buffer = new byte[64 * 1024];
    for (ZipArchiveEntry e : entries) {
      String name = e.getName().substring(prefix.length());
      if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
      if (name.isEmpty()) continue;
      List<String> names;
      try {
        names = FilePaths.parse(name, false);
      } catch (ApiException invalid) {
        throw refused(
            "Entry '"
                + e.getName()
                + "' has a name the project cannot hold: "
                + invalid.getMessage());
      }
      try (Dir parent = mkdirs(target, names.subList(0, names.size() - 1))) {
        String last = names.get(names.size() - 1);
        if (e.isDirectory()) {
          if (parent.mkdir(last)) tree.own(parent, last);
          continue;
        }
        long entryBytes = 0;
        try (InputStream in = zip.getInputStream(e);
            SeekableByteChannel out =
                parent.stream()
                    .newByteChannel(
                        Path.of(last),
                        Set.<OpenOption>of(
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE,
                            Dir.NOFOLLOW))) {
          OutputStream os = Channels.newOutputStream(out);
          int n;
          while ((n = in.read(buffer)) > 0) {
            entryBytes += n;
            total += n;
            if (total > budget) throw tooBig(total > tree.quota());
            if (entryBytes > ratioAfter
                && entryBytes / Math.max(1, packedSoFar(in, e)) > limits.maxCompressionRatio()) {
              throw refused(
                  "Entry '"
                      + e.getName()
                      + "' expands more than "
                      + limits.maxCompressionRatio()
                      + " times; this looks like a zip bomb.");
            }
            os.write(buffer, 0, n);
          }
        } catch (FileAlreadyExistsException dup) {
          throw refused("Entry '" + e.getName() + "' appears twice.");
        }
        if (e.getLastModifiedTime() != null)
          parent
              .view(last)
              .setTimes(FileTime.from(e.getLastModifiedTime().toInstant()), null, null);
        tree.own(parent, last);
        count++;
      }
    }
    if (total > ratioAfter && total / Math.max(1, archiveSize) > limits.maxCompressionRatio()) {
      throw refused(
          "The archive expands more than "
              + limits.maxCompressionRatio()
              + " times; this looks like a zip bomb.");
    }
    return new Imported(count, total);
  }

  private Dir mkdirs(Dir top, List<String> names) throws IOException {
    Dir current = top.reopen();
    try {
      for (String name : names) {
        if (current.mkdir(name)) tree.own(current, name);
        Dir next = current.openDir(name);
        current.close();
        current = next;
      }
      return current;
    } catch (FileSystemException e) {
      current.close();
      if (e instanceof java.nio.file.NotDirectoryException)
        throw refused("An entry lies below a file of the same name.");
      throw e;
    }
  }

  private static ZipFile open(Path zipFile) throws IOException {
    try {
      return ZipFile.builder().setPath(zipFile).get();
    } catch (ZipException | java.io.EOFException e) {
      throw refused("The upload is not a readable zip archive.");
    }
  }

  private static long packedSoFar(InputStream in, ZipArchiveEntry e) {
    if (in instanceof InputStreamStatistics stats) return stats.getCompressedCount();
    return e.getCompressedSize();
  }

  static void checkEntry(ZipArchiveEntry e, ZipFile zip) {
    String name = e.getName();
    if (name == null || name.isEmpty()) throw refused("The archive has an entry without a name.");
    if (name.indexOf('\\') >= 0) throw refused("Entry '" + name + "' contains a backslash.");
    if (name.indexOf('\0') >= 0) throw refused("An entry name contains a NUL byte.");
    if (name.startsWith("/") || DRIVE.matcher(name).matches())
      throw refused("Entry '" + name + "' has an absolute path.");
    for (String segment : name.split("/")) {
      if (segment.equals("..")) throw refused("Entry '" + name + "' contains '..'.");
    }
    // The whole name, before any top folder is stripped, passes the files API's path rules.
    try {
      FilePaths.parse(name.endsWith("/") ? name.substring(0, name.length() - 1) : name, false);
    } catch (ApiException invalid) {
      throw refused(
          "Entry '" + name + "' has a name the project cannot hold: " + invalid.getMessage());
    }
    int mode = (int) ((e.getExternalAttributes() >>> 16) & 0xFFFF);
    if (e.isUnixSymlink() || (mode & S_IFMT) == S_IFLNK) {
      throw refused("Entry '" + name + "' is a symbolic link; links are not imported.");
    }
    if (!zip.canReadEntryData(e)) {
      throw refused(
          "Entry '" + name + "' uses encryption or a compression method that is not supported.");
    }
  }

  /** "top/" when every entry lies inside one folder "top" (as in GitHub's downloads), else "". */
  static String commonTopFolder(List<ZipArchiveEntry> entries) {
    String top = null;
    boolean nested = false;
    for (ZipArchiveEntry e : entries) {
      String name = e.getName();
      int slash = name.indexOf('/');
      if (slash < 0) return "";
      String first = name.substring(0, slash);
      if (top == null) top = first;
      else if (!top.equals(first)) return "";
      if (slash < name.length() - 1) nested = true;
    }
    return nested ? top + "/" : "";
  }

  // ---- delete

  /**
   * Removes the project's directory with everything in it, fd-relative from the root; links are
   * removed, never followed.
   */
  void deleteAll(String projectId) throws IOException {
    dev.constellation.workspace.config.ProjectDirectories.requireValidId(projectId);
    try (Dir top = tree.openRoot()) {
      tree.deleteTree(top, projectId);
    }
    tree.forget(projectId);
  }

  // ---- problems

  static ApiException refused(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "archive-refused", "Archive refused", detail);
  }

  private static ApiException uploadTooLarge() {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "upload-too-large",
        "Upload too large",
        "The archive is larger than this installation accepts; split the project or ask an administrator.");
  }

  private ApiException tooBig(boolean quota) {
    if (quota) return tree.quotaExceeded(0);
    return refused(
        "The archive unpacks to more than " + limits.maxTotalBytes().toMegabytes() + " MB.");
  }
}
