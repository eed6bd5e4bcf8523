package dev.constellation.project;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds test archives, well-formed and hostile. */
final class Zips {
  private Zips() {}

  /** A zip of the given entries; a name ending in "/" is a directory. */
  static byte[] of(Map<String, byte[]> entries) {
    return build(
        zip -> {
          for (var e : entries.entrySet()) {
            ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
            zip.putArchiveEntry(entry);
            if (!e.getKey().endsWith("/")) zip.write(e.getValue());
            zip.closeArchiveEntry();
          }
        });
  }

  static byte[] ofText(String... namesAndContents) {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      entries.put(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return of(entries);
  }

  static byte[] withSymlink(String name, String target) {
    return build(
        zip -> {
          ZipArchiveEntry ok = new ZipArchiveEntry("README.md");
          zip.putArchiveEntry(ok);
          zip.write("hi".getBytes(StandardCharsets.UTF_8));
          zip.closeArchiveEntry();
          ZipArchiveEntry link = new ZipArchiveEntry(name);
          link.setUnixMode(0120777);
          zip.putArchiveEntry(link);
          zip.write(target.getBytes(StandardCharsets.UTF_8));
          zip.closeArchiveEntry();
        });
  }

  interface Writer {
    void write(ZipArchiveOutputStream zip) throws IOException;
  }

  static byte[] build(Writer writer) {
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipArchiveOutputStream(bytes)) {
      writer.write(zip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The files (not directories) of a zip, by name. */
  static Map<String, byte[]> read(byte[] zip) {
    Map<String, byte[]> files = new TreeMap<>();
    try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (!e.isDirectory()) files.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
