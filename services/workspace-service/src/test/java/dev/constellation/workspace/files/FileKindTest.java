package dev.constellation.workspace.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileKindTest {
  @Test
  void textInAnyScriptIsText() {
    FileKind kind = FileKind.of("a.md", "# Héllo — 世界 🚀\n".getBytes(StandardCharsets.UTF_8));
    assertThat(kind.binary()).isFalse();
    assertThat(kind.mediaType()).startsWith("text/");
    assertThat(FileKind.of("empty", new byte[0]).binary()).isFalse();
  }

  @Test
  void aNulOrInvalidUtf8MakesBytesBinaryWhateverTheName() {
    assertThat(FileKind.of("a.txt", new byte[] {'a', 0, 'b'}).binary()).isTrue();
    assertThat(FileKind.of("a.txt", new byte[] {'a', (byte) 0xC3, 'b'}).binary()).isTrue();
    FileKind fake = FileKind.of("photo.png", new byte[] {1, 2, 0, 3});
    assertThat(fake.binary()).isTrue();
    assertThat(fake.mediaType()).isEqualTo("application/octet-stream");
  }

  @Test
  void aCharacterCutAtTheSniffLimitIsNotAnError() {
    byte[] bytes = new byte[FileKind.SNIFF_BYTES + 10];
    Arrays.fill(bytes, (byte) 'a');
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(euro, 0, bytes, FileKind.SNIFF_BYTES - 1, euro.length);
    assertThat(FileKind.of("long.txt", bytes).binary()).isFalse();
  }

  @Test
  void imagesAreKnownByTheirMagicNumberAndSvgIsText() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D};
    assertThat(FileKind.of("no-extension", png)).isEqualTo(new FileKind(true, "image/png"));
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0};
    assertThat(FileKind.of("x.bin", jpeg).mediaType()).isEqualTo("image/jpeg");
    FileKind svg = FileKind.of("logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes());
    assertThat(svg).isEqualTo(new FileKind(false, "image/svg+xml"));
    // Text named like a raster image is text.
    assertThat(FileKind.of("notes.png", "hello".getBytes()).mediaType()).isEqualTo("text/plain");
  }

  @Test
  void sizesReadAsPeopleSayThem() {
    assertThat(ProjectFiles.humanBytes(10 * 1024 * 1024)).isEqualTo("10 MB");
    assertThat(ProjectFiles.humanBytes(1_258_291)).isEqualTo("1.2 MB");
    assertThat(ProjectFiles.humanBytes(512 * 1024)).isEqualTo("512 KB");
    assertThat(ProjectFiles.humanBytes(700)).isEqualTo("700 bytes");
  }
}
