package dev.constellation.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the MongoDB-wire server in the middle of a stream of writes: every write that was
 * acknowledged before the kill is there after a restart from the same H2 file.
 */
class MongoWireKillTest {

  @Test
  void everyAcknowledgedWriteSurvivesAKill9(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.mv");
    List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
    try (MongoWireProcess server = MongoWireProcess.start(file, dir.resolve("wire.log"), 0)) {
      String uri = EmbeddedMongo.uri(server.port());
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  try (var client = MongoClients.create(uri)) {
                    var c = client.getDatabase("d").getCollection("c");
                    for (int i = 0; i < 100_000 && !stop.get(); i++) {
                      int id = writer * 1_000_000 + i;
                      try {
                        c.insertOne(new Document("_id", id).append("v", "value " + id));
                        acknowledged.add(id);
                      } catch (RuntimeException killed) {
                        return;
                      }
                    }
                  }
                });
        thread.setDaemon(true);
        writers.add(thread);
        thread.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acknowledged.size() < 300 && System.nanoTime() < deadline) Thread.sleep(20);
      ProcessHandle process = server.handle().orElseThrow();
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the H2 file
      assertFalse(process.onExit().get(10, TimeUnit.SECONDS).isAlive());
      stop.set(true);
      for (Thread t : writers) t.join(15_000);
      assertTrue(
          acknowledged.size() > 100, "writes acknowledged before the kill: " + acknowledged.size());

      server.start();
      try (var client = MongoClients.create(uri)) {
        var c = client.getDatabase("d").getCollection("c");
        List<Integer> missing = new ArrayList<>();
        for (int id : List.copyOf(acknowledged)) {
          if (c.find(new Document("_id", id)).first() == null) missing.add(id);
        }
        assertEquals(
            List.of(),
            missing,
            "acknowledged writes lost by the kill (of " + acknowledged.size() + ")");
      }
    }
  }
}
