package dev.constellation.project.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Unpacks an uploaded zip into a staging folder, refusing anything that could write outside it,
 * create links, or exhaust the disk. Sizes are counted from the bytes actually inflated, never
 * from the sizes the archive claims.
 */
class ZipImporter {
  private static final int S_IFMT = 0170000;
  private static final int S_IFLNK = 0120000;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  record Result(int files, long bytes) {}

  private final TransferProperties limits;

  ZipImporter(TransferProperties limits) {
    this.limits = limits;
  }

  Result extract(Path zipFile, Path target) throws IOException {
    try (ZipFile zip = open(zipFile)) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
      if (entries.size() > limits.maxEntries()) {
        throw new ArchiveRefusedException("The archive has " + entries.size() + " entries; at most " + limits.maxEntries() + " are accepted.");
      }
      if (entries.isEmpty()) throw new ArchiveRefusedException("The archive is empty.");
      for (ZipArchiveEntry e : entries) checkEntry(e, zip);
      String prefix = commonTopFolder(entries);
      long total = 0;
      int files = 0;
      byte[] buffer = new byte[64 * 1024];
      long maxTotal = limits.maxTotalBytes().toBytes();
      long ratioAfter = limits.ratioCheckAfterBytes().toBytes();
      for (ZipArchiveEntry e : entries) {
        String name = e.getName().substring(prefix.length());
        if (name.isEmpty() || name.equals("/")) continue;
        Path out = target.resolve(name).normalize();
        if (!out.startsWith(target) || out.equals(target)) {
          throw new ArchiveRefusedException("Entry '" + e.getName() + "' would be written outside the project.");
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        long entryBytes = 0;
        try (InputStream in = zip.getInputStream(e);
            OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            entryBytes += n;
            total += n;
            if (total > maxTotal) {
              throw new ArchiveRefusedException("The archive unpacks to more than " + limits.maxTotalBytes().toMegabytes() + " MB.");
            }
            if (entryBytes > ratioAfter && entryBytes / Math.max(1, packedSoFar(in, e)) > limits.maxCompressionRatio()) {
              throw new ArchiveRefusedException("Entry '" + e.getName() + "' expands more than " + limits.maxCompressionRatio()
                  + " times; this looks like a zip bomb.");
            }
            os.write(buffer, 0, n);
          }
        } catch (FileAlreadyExistsException dup) {
          throw new ArchiveRefusedException("Entry '" + e.getName() + "' appears twice.");
        }
        files++;
      }
      long archiveSize = Math.max(1, Files.size(zipFile));
      if (total > ratioAfter && total / archiveSize > limits.maxCompressionRatio()) {
        throw new ArchiveRefusedException("The archive expands more than " + limits.maxCompressionRatio() + " times; this looks like a zip bomb.");
      }
      return new Result(files, total);
    }
  }

  private static ZipFile open(Path zipFile) throws IOException {
    try {
      return ZipFile.builder().setPath(zipFile).get();
    } catch (ZipException | java.io.EOFException e) {
      throw new ArchiveRefusedException("The upload is not a readable zip archive.");
    }
  }

  private static long packedSoFar(InputStream in, ZipArchiveEntry e) {
    if (in instanceof InputStreamStatistics stats) return stats.getCompressedCount();
    return e.getCompressedSize();
  }

  static void checkEntry(ZipArchiveEntry e, ZipFile zip) {
    String name = e.getName();
    if (name == null || name.isEmpty()) throw new ArchiveRefusedException("The archive has an entry without a name.");
    if (name.indexOf('\\') >= 0) throw new ArchiveRefusedException("Entry '" + name + "' contains a backslash.");
    if (name.indexOf('\0') >= 0) throw new ArchiveRefusedException("An entry name contains a NUL byte.");
    if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
      throw new ArchiveRefusedException("Entry '" + name + "' has an absolute path.");
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) throw new ArchiveRefusedException("Entry '" + name + "' contains '..'.");
    }
    int mode = (int) ((e.getExternalAttributes() >>> 16) & 0xFFFF);
    if (e.isUnixSymlink() || (mode & S_IFMT) == S_IFLNK) {
      throw new ArchiveRefusedException("Entry '" + name + "' is a symbolic link; links are not imported.");
    }
    if (!zip.canReadEntryData(e)) {
      throw new ArchiveRefusedException("Entry '" + name + "' uses encryption or a compression method that is not supported.");
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
}
