package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeEngineDirectoryTest {
  /** Three tasks of a global service, one per node, each in front of its own node's engine. */
  private final Map<String, String> nodeOfEngine =
      Map.of(
          "tcp://10.0.1.5:2375", "node-a",
          "tcp://10.0.1.6:2375", "node-b",
          "tcp://[fd00::7]:2375", "node-c");

  private final List<String> probed = new ArrayList<>();

  private NodeEngineDirectory directory(List<String> entries, List<String> addresses) {
    return new NodeEngineDirectory(
        entries,
        host -> {
          probed.add(host);
          return nodeOfEngine.get(host);
        },
        name -> {
          if (!name.equals("tasks.docker-node-filter")) throw new UnknownHostException(name);
          return addresses;
        });
  }

  @Test
  void findsTheEngineWhoseAnswerNamesTheNode() {
    var directory =
        directory(
            List.of("dns:tasks.docker-node-filter:2375"),
            List.of("10.0.1.5", "10.0.1.6", "fd00::7"));

    assertThat(directory.find("node-b", "cst-node2")).contains("tcp://10.0.1.6:2375");
    assertThat(directory.find("node-c", null)).contains("tcp://[fd00::7]:2375");
    assertThat(directory.discovers()).isTrue();
  }

  @Test
  void aNamedNodeIsNotAskedAbout() {
    var directory =
        directory(
            List.of("cst-node2=tcp://192.168.1.2:2376", "dns:tasks.docker-node-filter:2375"),
            List.of("10.0.1.5", "10.0.1.6"));

    assertThat(directory.find("node-b", "cst-node2")).contains("tcp://192.168.1.2:2376");
    assertThat(probed).isEmpty();
  }

  @Test
  void aNodeNoEngineAnswersForIsNotFound() {
    var directory =
        new NodeEngineDirectory(
            List.of("dns:tasks.docker-node-filter:2375", "dns:nowhere:2375"),
            host -> {
              if (host.contains("10.0.1.5")) throw new IllegalStateException("connection refused");
              return nodeOfEngine.get(host);
            },
            name -> {
              if (!name.equals("tasks.docker-node-filter")) throw new UnknownHostException(name);
              return List.of("10.0.1.5", "10.0.1.6");
            });

    assertThat(directory.find("node-a", "cst-node1")).isEmpty();
    assertThat(directory.find("node-z", "cst-node9")).isEmpty();
    assertThat(directory.find("node-b", "cst-node2")).contains("tcp://10.0.1.6:2375");
  }

  @Test
  void onlyNamedEnginesFindNothingElse() {
    var directory = directory(List.of("cst-node2=tcp://192.168.1.2:2376"), List.of());

    assertThat(directory.discovers()).isFalse();
    assertThat(directory.find("node-a", "cst-node1")).isEmpty();
  }
}
