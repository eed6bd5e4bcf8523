package dev.constellation.project.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class ZipImporterTest {
  @TempDir Path dir;

  private final ZipImporter importer =
      new ZipImporter(new TransferProperties(10, DataSize.ofMegabytes(4), 20, DataSize.ofKilobytes(16)));

  @Test
  void stripsOnlyASingleCommonTopFolder() {
    assertThat(ZipImporter.commonTopFolder(entries("p/", "p/a", "p/b/c"))).isEqualTo("p/");
    assertThat(ZipImporter.commonTopFolder(entries("p/a", "q/b"))).isEmpty();
    assertThat(ZipImporter.commonTopFolder(entries("p/a", "readme"))).isEmpty();
    assertThat(ZipImporter.commonTopFolder(entries("p/"))).isEmpty();
    assertThat(ZipImporter.commonTopFolder(entries("readme"))).isEmpty();
  }

  @Test
  void refusesAnEntryThatInflatesFarBeyondItsPackedSize() throws IOException {
    Path zip = write(out -> {
      out.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
      out.write(new byte[3 * 1024 * 1024]);
      out.closeArchiveEntry();
    });
    Path target = Files.createDirectory(dir.resolve("out"));
    assertThatThrownBy(() -> importer.extract(zip, target)).isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("zip bomb");
  }

  @Test
  void countsTheBytesActuallyInflatedNotTheDeclaredSizes() throws IOException {
    byte[] random = new byte[1024 * 1024];
    new java.util.Random(3).nextBytes(random);
    Path zip = write(out -> {
      for (int i = 0; i < 5; i++) {
        ZipArchiveEntry e = new ZipArchiveEntry("part" + i);
        out.putArchiveEntry(e);
        out.write(random);
        out.closeArchiveEntry();
      }
    });
    Path target = Files.createDirectory(dir.resolve("out"));
    assertThatThrownBy(() -> importer.extract(zip, target)).hasMessageContaining("more than 4 MB");
  }

  @Test
  void extractsAWellFormedArchive() throws IOException {
    Path zip = write(out -> {
      out.putArchiveEntry(new ZipArchiveEntry("src/"));
      out.closeArchiveEntry();
      out.putArchiveEntry(new ZipArchiveEntry("src/main.py"));
      out.write("print('hi')".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
      out.putArchiveEntry(new ZipArchiveEntry("README.md"));
      out.write("# hi".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    });
    Path target = Files.createDirectory(dir.resolve("out"));
    var result = importer.extract(zip, target);
    assertThat(result.files()).isEqualTo(2);
    assertThat(result.bytes()).isEqualTo(15);
    assertThat(Files.readString(target.resolve("src/main.py"))).isEqualTo("print('hi')");
  }

  @Test
  void refusesADuplicateEntry() throws IOException {
    Path zip = write(out -> {
      for (int i = 0; i < 2; i++) {
        out.putArchiveEntry(new ZipArchiveEntry("a.txt"));
        out.write('a');
        out.closeArchiveEntry();
      }
    });
    Path target = Files.createDirectory(dir.resolve("out"));
    assertThatThrownBy(() -> importer.extract(zip, target)).hasMessageContaining("twice");
  }

  interface Content {
    void write(ZipArchiveOutputStream out) throws IOException;
  }

  private Path write(Content content) throws IOException {
    Path zip = dir.resolve("in.zip");
    try (var out = new ZipArchiveOutputStream(zip)) {
      content.write(out);
    }
    return zip;
  }

  private static List<ZipArchiveEntry> entries(String... names) {
    return java.util.Arrays.stream(names).map(ZipArchiveEntry::new).toList();
  }
}
