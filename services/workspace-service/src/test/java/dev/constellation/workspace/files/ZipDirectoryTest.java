package dev.constellation.workspace.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipDirectoryTest {
  @TempDir Path dir;

  @Test
  void countsTheEntriesOfAWellFormedArchive() throws Exception {
    assertThat(count(zip(3), 10)).isEqualTo(3);
  }

  @Test
  void refusesMoreEntriesThanAllowedBeforeAnyParserSeesThem() throws Exception {
    assertThatThrownBy(() -> count(zip(11), 10))
        .isInstanceOf(ZipDirectory.Refused.class)
        .hasMessageContaining("11 entries");
  }

  @Test
  void anEndRecordThatUndercountsIsCaughtByCountingTheHeaders() throws Exception {
    byte[] zip = zip(50);
    int eocd = lastIndexOf(zip, new byte[] {0x50, 0x4b, 0x05, 0x06});
    zip[eocd + 8] = 1;
    zip[eocd + 9] = 0;
    zip[eocd + 10] = 1;
    zip[eocd + 11] = 0;
    assertThatThrownBy(() -> count(zip, 10))
        .isInstanceOf(ZipDirectory.Refused.class)
        .hasMessageContaining("more than 10");
  }

  @Test
  void refusesDataBeforeTheArchiveAndNonZips() throws Exception {
    byte[] zip = zip(2);
    byte[] prefixed = new byte[zip.length + 100];
    System.arraycopy(zip, 0, prefixed, 100, zip.length);
    assertThatThrownBy(() -> count(prefixed, 10)).isInstanceOf(ZipDirectory.Refused.class);
    assertThatThrownBy(() -> count("not a zip at all, just text".getBytes(), 10))
        .isInstanceOf(ZipDirectory.Refused.class);
  }

  @Test
  void readsTheZip64RecordWhenThereIsOne() throws Exception {
    // Java writes a zip64 end record once an archive has more than 65535 entries.
    assertThat(count(zip(65_600), 70_000)).isEqualTo(65_600);
    assertThatThrownBy(() -> count(zip(65_600), 65_599)).isInstanceOf(ZipDirectory.Refused.class);
  }

  private long count(byte[] zip, long max) throws IOException, ZipDirectory.Refused {
    Path file = Files.write(dir.resolve("a.zip"), zip);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return ZipDirectory.countEntries(channel, max);
    }
  }

  private static byte[] zip(int entries) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ZipOutputStream(bytes)) {
      for (int i = 0; i < entries; i++) {
        out.putNextEntry(new ZipEntry("f" + i));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static int lastIndexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = data.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) if (data[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
