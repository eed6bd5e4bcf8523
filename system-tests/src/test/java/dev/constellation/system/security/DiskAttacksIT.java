package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the workspaces volume through the public API: what a process in a workspace can do to
 * its own project directory (swap names for links and FIFOs) must never let export, import,
 * template create, delete or the files API read or change anything outside the project.
 *
 * <p>The swapping runs as a thread of this test on the host, directly in the project's directory
 * (what a process in the workspace does through the bind mount), so it runs with or without Docker.
 */
class DiskAttacksIT {
  private static DiskClient client;
  private static Path outside;
  private static Path secretFile;
  private static Path secretDir;
  private static Path canary;
  private static String secret;

  @BeforeAll
  static void setUp() throws Exception {
    client = new DiskClient();
    outside = Files.createTempDirectory("disk-attacks-outside");
    secret = "HOST-SECRET-" + UUID.randomUUID();
    secretDir = Files.createDirectories(outside.resolve("secret-dir"));
    secretFile = Files.writeString(secretDir.resolve("secret.txt"), secret);
    canary = Files.createDirectories(outside.resolve("canary"));
    Files.writeString(canary.resolve("keep.txt"), "canary");
  }

  @AfterAll
  static void checkOutsideUntouched() throws IOException {
    assertOutsideUntouched();
  }

  @Test
  @Checklist({"A1", "B18"})
  void exportImportAndDeleteNeverFollowALinkSwappedInALoop() throws Exception {
    String id = client.createProject("Swapped");
    Path dir = DiskClient.workspaces().resolve(id);
    assertThat(client.write(id, "a.txt", "harmless".getBytes()).statusCode()).isEqualTo(200);
    assertThat(client.write(id, "d/inner.txt", "inside".getBytes()).statusCode()).isEqualTo(200);
    assertThat(client.write(id, "c/keep.txt", "mine".getBytes()).statusCode()).isEqualTo(200);

    AtomicLong swaps = new AtomicLong();
    try (Swapper swapper = new Swapper(dir, swaps)) {
      swapper.start();
      awaitSwaps(swaps);
      byte[] lastExport = null;
      for (int i = 0; i < 30; i++) {
        HttpResponse<byte[]> export = client.export(id);
        assertThat(export.statusCode()).isEqualTo(200);
        Map<String, byte[]> entries = DiskClient.unzip(export.body());
        entries.forEach(
            (name, bytes) -> {
              assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                  .as("export %s", name)
                  .doesNotContain(secret)
                  .doesNotContain("root:x:0:0");
              assertThat(name)
                  .doesNotContain("secret.txt")
                  .doesNotStartWith("d/etc/")
                  .doesNotStartWith("d/proc/")
                  .doesNotStartWith("c/keep.txt/");
            });
        lastExport = export.body();
      }
      HttpResponse<byte[]> imported = client.importZip("Swapped copy", lastExport);
      assertThat(imported.statusCode()).as(DiskClient.text(imported)).isEqualTo(201);
      Path copy =
          DiskClient.workspaces().resolve(DiskClient.problem(imported).path("id").asString());
      try (Stream<Path> walk = Files.walk(copy)) {
        for (Path p : walk.toList()) {
          assertThat(Files.isSymbolicLink(p)).as(p.toString()).isFalse();
          if (Files.isRegularFile(p))
            assertThat(Files.readString(p, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        }
      }

      assertThat(client.delete(id).statusCode()).isEqualTo(204);
      Thread.sleep(1500);
      assertOutsideUntouched();
    }
    awaitGone(dir);
    assertOutsideUntouched();
    assertThat(Path.of("/inner.txt")).doesNotExist();
  }

  @Test
  @Checklist({"A12", "B18"})
  void aFifoOrLinkSwappedInIsRefusedQuicklyAndMkdirStaysInside() throws Exception {
    String id = client.createProject("Fifo");
    Path dir = DiskClient.workspaces().resolve(id);
    mkfifo(dir.resolve("pipe"));

    long started = System.nanoTime();
    HttpResponse<byte[]> read = client.read(id, "pipe");
    assertThat(read.statusCode()).as(DiskClient.text(read)).isEqualTo(400);
    assertThat(DiskClient.problem(read).path("detail").asString()).isNotBlank();
    assertThat(System.nanoTime() - started)
        .as("a FIFO read answers at once, without waiting for a writer")
        .isLessThan(5_000_000_000L);

    // A regular file that keeps being swapped for a FIFO or a link: every read answers, none hangs
    // or leaks.
    AtomicBoolean stop = new AtomicBoolean();
    Thread swapper =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + 60_000_000_000L;
              int n = 0;
              while (!stop.get() && System.nanoTime() < deadline) {
                try {
                  Path tmp = dir.resolve("f.tmp" + (n++ % 3));
                  Files.deleteIfExists(tmp);
                  switch (n % 3) {
                    case 0 -> mkfifo(tmp);
                    case 1 -> Files.createSymbolicLink(tmp, secretFile);
                    default -> Files.writeString(tmp, "plain");
                  }
                  move(tmp, dir.resolve("f.txt"));
                  // "sub" is a directory or a link to the canary directory: mkdir/create inside
                  // must stay in the project.
                  Path sub = dir.resolve("sub");
                  if (Files.isSymbolicLink(sub)) Files.delete(sub);
                  else deleteTree(sub);
                  if (n % 2 == 0) Files.createSymbolicLink(sub, canary);
                } catch (IOException | RuntimeException raced) {
                  // the service renamed or removed something meanwhile
                }
              }
            });
    swapper.start();
    try {
      for (int i = 0; i < 40; i++) {
        HttpResponse<byte[]> r = client.read(id, "f.txt");
        assertThat(r.statusCode()).isIn(200, 400, 404);
        assertThat(DiskClient.text(r)).doesNotContain(secret);
        HttpResponse<byte[]> w = client.write(id, "sub/deeper/new-" + i + ".txt", "x".getBytes());
        assertThat(w.statusCode()).isIn(200, 400, 404, 409);
      }
      assertThat(client.export(id).statusCode()).isEqualTo(200);
    } finally {
      stop.set(true);
      swapper.join(10_000);
    }
    assertOutsideUntouched();
  }

  @Test
  @Checklist("B17")
  void pathVariantsAreRefusedOnTheFilesApi() throws Exception {
    String id = client.createProject("Paths");
    String other = client.createProject("Paths sibling");
    assertThat(client.write(id, "ok.txt", "ok".getBytes()).statusCode()).isEqualTo(200);
    List<String> rawQueries =
        List.of(
            "path=../" + other + "/ok.txt",
            "path=..%2f" + other + "%2fok.txt",
            "path=..%2F..%2Fetc%2Fpasswd",
            "path=%2Fetc%2Fpasswd",
            "path=%2Fworkspace-x%2Fok.txt",
            "path=..%5C" + other + "%5Cok.txt",
            "path=ok.txt%00.png",
            "path=%E2%80%A4%E2%80%A4%2F" + other,
            "path=%EF%BC%8E%EF%BC%8E%2F" + other,
            "path=..%EF%BC%8Fetc%EF%BC%8Fpasswd",
            "path=a%E2%88%95b",
            "path=.%2Fok.txt");
    for (String query : rawQueries) {
      HttpResponse<byte[]> response = client.readRaw(id, query);
      assertThat(response.statusCode())
          .as(query + " -> " + DiskClient.text(response))
          .isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .as(query)
          .hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(DiskClient.text(response)).doesNotContain("root:x:0:0");
    }
    // A project id that is a prefix of another project's id is no project at all.
    HttpResponse<byte[]> prefix = client.read(id.substring(0, id.length() - 2), "ok.txt");
    assertThat(prefix.statusCode()).isIn(400, 404);
    assertThat(DiskClient.text(prefix)).doesNotContain("\"ok\"");
  }

  @Test
  @Checklist("B20")
  void userHtmlAndSvgAreDownloadedNeverRendered() throws Exception {
    String id = client.createProject("Markup");
    for (String name : List.of("page.html", "image.svg")) {
      String markup =
          name.endsWith(".svg")
              ? "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.cookie)\"/>"
              : "<html><script>alert(document.cookie)</script></html>";
      assertThat(client.write(id, name, markup.getBytes()).statusCode()).isEqualTo(200);
      HttpResponse<byte[]> response = client.read(id, name);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Disposition"))
          .as(name)
          .hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
      assertThat(response.headers().firstValue("X-Content-Type-Options"))
          .as(name)
          .hasValue("nosniff");
      assertThat(response.headers().firstValue("Content-Type"))
          .as(name)
          .hasValueSatisfying(
              v ->
                  assertThat(v).doesNotContain("html").doesNotContain("svg").doesNotContain("xml"));
    }
  }

  @Test
  @Checklist({"A11", "A16", "B19"})
  void hostileArchivesAndQuotaExhaustionAreRefusedWritingNothing() throws Exception {
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i <= 20_000; i++) many.put("f" + i, new byte[0]);
    Map<String, byte[]> bomb = Map.of("bomb.txt", new byte[60 * 1024 * 1024]);
    byte[] random = new byte[7 * 1024 * 1024];
    new Random(3).nextBytes(random);
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("too many entries", DiskClient.zip(many));
    cases.put("entry count lied about", lieAboutCount(DiskClient.zip(many)));
    cases.put("zip bomb", DiskClient.zip(bomb));
    cases.put(
        "zip slip",
        DiskClient.zip(Map.of("ok.txt", "x".getBytes(), "../evil.txt", "x".getBytes())));
    cases.put("absolute", DiskClient.zip(Map.of("/tmp/evil.txt", "x".getBytes())));
    cases.put("look-alike dots", DiskClient.zip(Map.of("\u2024\u2024/evil.txt", "x".getBytes())));
    cases.put("not a zip", "plain text".getBytes());
    cases.put("oversized upload", random.length > 0 ? concat(random, random) : random);

    long projects = client.projectCount();
    Set<String> disk = projectDirectories();
    for (var attack : cases.entrySet()) {
      long started = System.nanoTime();
      HttpResponse<byte[]> response =
          client.importZip("Hostile " + attack.getKey(), attack.getValue());
      assertThat(response.statusCode())
          .as(attack.getKey() + ": " + DiskClient.text(response))
          .isIn(400, 413, 507);
      assertThat(DiskClient.problem(response).path("detail").asString())
          .as(attack.getKey())
          .isNotBlank();
      assertThat(System.nanoTime() - started).as(attack.getKey()).isLessThan(20_000_000_000L);
    }
    assertThat(client.importZip("Too big", concat(random, random)).statusCode()).isEqualTo(413);
    assertThat(client.projectCount()).isEqualTo(projects);
    assertThat(projectDirectories()).isEqualTo(disk);
    Path staging = DiskClient.workspaces().resolve(".staging");
    if (Files.isDirectory(staging)) assertThat(listing(staging)).isEmpty();
    assertThat(Files.exists(DiskClient.workspaces().resolve("evil.txt"))).isFalse();

    // The per-project quota (24 MB in the system stack): the write that would pass it is refused,
    // the others stay.
    String id = client.createProject("Quota");
    byte[] nine = new byte[9 * 1024 * 1024];
    assertThat(client.write(id, "one.bin", nine).statusCode()).isEqualTo(200);
    assertThat(client.write(id, "two.bin", nine).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> third = client.write(id, "three.bin", nine);
    assertThat(third.statusCode()).as(DiskClient.text(third)).isEqualTo(507);
    assertThat(DiskClient.problem(third).path("type").asString()).endsWith("/quota-exceeded");
    assertThat(Files.exists(DiskClient.workspaces().resolve(id).resolve("three.bin"))).isFalse();
    assertThat(client.write(id, "one.bin", "small".getBytes()).statusCode())
        .as("overwriting frees room")
        .isEqualTo(200);
  }

  @Test
  @Checklist({"B31", "B72"})
  void aFullDiskRefusesTheWriteAndKeepsTheOldContent() throws Exception {
    String id = client.createProject("Full disk");
    Path dir = DiskClient.workspaces().resolve(id);
    Files.createDirectories(dir);
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString()) == 0;
    try {
      assertThat(client.write(id, "notes.txt", "version one".getBytes()).statusCode())
          .isEqualTo(200);
      // Without a mount (not root here), the quota stands in for the full volume.
      byte[] tooMuch = new byte[mounted ? 2 * 1024 * 1024 : 9 * 1024 * 1024];
      new Random(5).nextBytes(tooMuch);
      if (!mounted) {
        assertThat(client.write(id, "a.bin", tooMuch).statusCode()).isEqualTo(200);
        assertThat(client.write(id, "b.bin", tooMuch).statusCode()).isEqualTo(200);
      }
      HttpResponse<byte[]> refused = client.write(id, "notes.txt", tooMuch);
      assertThat(refused.statusCode()).as(DiskClient.text(refused)).isEqualTo(507);
      assertThat(DiskClient.problem(refused).path("detail").asString()).isNotBlank();
      HttpResponse<byte[]> after = client.read(id, "notes.txt");
      assertThat(DiskClient.text(after)).isEqualTo("version one");
      assertThat(listing(dir))
          .allSatisfy(name -> assertThat(name).doesNotStartWith(".constellation-write-"));

      // The volume full, then room made by deleting a file: saves work again, no restart.
      byte[] filler = new byte[mounted ? 700 * 1024 : 9 * 1024 * 1024];
      byte[] edit = new byte[mounted ? 400 * 1024 : 9 * 1024 * 1024];
      new Random(6).nextBytes(edit);
      if (mounted) assertThat(client.write(id, "filler.bin", filler).statusCode()).isEqualTo(200);
      HttpResponse<byte[]> full = client.write(id, "notes.txt", edit);
      assertThat(full.statusCode()).as(DiskClient.text(full)).isEqualTo(507);
      assertThat(DiskClient.text(client.read(id, "notes.txt"))).isEqualTo("version one");
      String freed = mounted ? "filler.bin" : "a.bin";
      assertThat(client.deleteFile(id, freed).statusCode()).isEqualTo(204);
      HttpResponse<byte[]> saved = client.write(id, "notes.txt", edit);
      assertThat(saved.statusCode()).as(DiskClient.text(saved)).isEqualTo(200);
      assertThat(client.read(id, "notes.txt").body()).isEqualTo(edit);
    } finally {
      if (mounted) run("umount", dir.toString());
    }
  }

  // ---- helpers

  /**
   * Keeps swapping a.txt for a link to the host secret, d for a link to / and c for a link to the
   * canary.
   */
  private static final class Swapper extends Thread implements AutoCloseable {
    private final Path dir;
    private final AtomicLong swaps;
    private final AtomicBoolean stop = new AtomicBoolean();

    Swapper(Path dir, AtomicLong swaps) {
      this.dir = dir;
      this.swaps = swaps;
      setDaemon(true);
    }

    @Override
    public void run() {
      long deadline = System.nanoTime() + 180_000_000_000L;
      int n = 0;
      while (!stop.get() && System.nanoTime() < deadline) {
        n++;
        try {
          if (!Files.isDirectory(dir)) {
            Thread.sleep(5);
            continue;
          }
          Path tmp = dir.resolve("a.tmp");
          Files.deleteIfExists(tmp);
          if (n % 2 == 0) Files.createSymbolicLink(tmp, secretFile);
          else Files.writeString(tmp, "harmless");
          move(tmp, dir.resolve("a.txt"));
          swapDir(dir.resolve("d"), n % 2 == 0 ? Path.of("/") : null);
          swapDir(dir.resolve("c"), n % 2 == 0 ? canary : null);
          swapDir(dir.resolve("s"), n % 2 == 0 ? secretDir : null);
          swaps.incrementAndGet();
        } catch (IOException | RuntimeException raced) {
          // the service deleted or renamed something meanwhile
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /**
     * {@code name} becomes a link to {@code target}, or (target null) a real directory with a file.
     */
    private static void swapDir(Path name, Path target) throws IOException {
      Path tmp = name.resolveSibling(name.getFileName() + ".tmp");
      if (Files.isSymbolicLink(tmp)) Files.delete(tmp);
      else deleteTree(tmp);
      if (target != null) {
        Files.createSymbolicLink(tmp, target);
      } else {
        Files.createDirectory(tmp);
        Files.writeString(tmp.resolve("inner.txt"), "inside");
      }
      if (Files.isSymbolicLink(name)) Files.delete(name);
      else deleteTree(name);
      move(tmp, name);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      join(10_000);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isSymbolicLink(path)
        || !Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    try (Stream<Path> children = Files.list(path)) {
      for (Path child : children.toList()) deleteTree(child);
    }
    Files.deleteIfExists(path);
  }

  private static void assertOutsideUntouched() throws IOException {
    assertThat(Files.readString(secretFile)).isEqualTo(secret);
    assertThat(listing(secretDir)).containsExactly("secret.txt");
    assertThat(listing(canary)).containsExactly("keep.txt");
    assertThat(Files.readString(canary.resolve("keep.txt"))).isEqualTo("canary");
  }

  private static Set<String> listing(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return new TreeSet<>(children.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * The project directories under WORKSPACES_ROOT; the staging folder (checked empty on its own)
   * aside.
   */
  private static Set<String> projectDirectories() throws IOException {
    Set<String> names = listing(DiskClient.workspaces());
    names.remove(".staging");
    return names;
  }

  private static void awaitSwaps(AtomicLong swaps) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (swaps.get() < 20 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(swaps.get()).as("the swapper runs").isGreaterThanOrEqualTo(20);
  }

  private static void awaitGone(Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && System.nanoTime() < deadline) Thread.sleep(200);
    assertThat(dir).as("the deleted project's directory").doesNotExist();
  }

  private static void mkfifo(Path path) throws IOException {
    try {
      if (new ProcessBuilder("mkfifo", path.toString()).start().waitFor() != 0)
        throw new IOException("mkfifo failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The end record says one entry while the central directory holds them all: a parser must not be
   * fooled.
   */
  private static byte[] lieAboutCount(byte[] zip) {
    byte[] copy = zip.clone();
    for (int i = copy.length - 22; i >= 0; i--) {
      if (copy[i] == 0x50 && copy[i + 1] == 0x4b && copy[i + 2] == 0x05 && copy[i + 3] == 0x06) {
        copy[i + 8] = 1;
        copy[i + 9] = 0;
        copy[i + 10] = 1;
        copy[i + 11] = 0;
        return copy;
      }
    }
    throw new IllegalStateException("no end record");
  }
}
