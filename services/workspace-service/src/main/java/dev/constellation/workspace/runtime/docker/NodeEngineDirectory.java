package dev.constellation.workspace.runtime.docker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each swarm node's own Docker API is, from WORKSPACE_SWARM_NODE_ENGINES entries of two
 * kinds:
 *
 * <ul>
 *   <li>{@code hostname=tcp://address:port}: that node's, named;
 *   <li>{@code dns:name:port}: found, by asking each address the name has which node it is — the
 *       tasks of a service that runs once on every node ({@code tasks.docker-node-filter} in the
 *       swarm file, each in front of its own node's engine), whose {@code GET /info} carries its
 *       node's swarm id. Their addresses change when a task is replaced, so a node's is looked up
 *       again whenever asked for.
 * </ul>
 */
final class NodeEngineDirectory {
  private static final Logger log = LoggerFactory.getLogger(NodeEngineDirectory.class);

  /**
   * The swarm node id of the engine at {@code tcp://address:port}; null when it does not answer.
   */
  interface Probe {
    @Nullable String nodeIdAt(String host);
  }

  /** Every address of a DNS name, as text. */
  interface Resolver {
    List<String> addresses(String name) throws UnknownHostException;
  }

  private record DnsName(String name, int port) {}

  private final Map<String, String> byHostname = new HashMap<>();
  private final List<DnsName> dnsNames = new ArrayList<>();
  private final Probe probe;
  private final Resolver resolver;

  NodeEngineDirectory(List<String> entries, Probe probe, Resolver resolver) {
    this.probe = probe;
    this.resolver = resolver;
    for (String raw : entries) {
      String entry = raw.strip();
      if (entry.startsWith("dns:")) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 4) throw new IllegalArgumentException("dns: needs a port: " + entry);
        dnsNames.add(
            new DnsName(entry.substring(4, colon), Integer.parseInt(entry.substring(colon + 1))));
      } else {
        int eq = entry.indexOf('=');
        if (eq > 0) byHostname.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
      }
    }
  }

  static NodeEngineDirectory of(List<String> entries, Probe probe) {
    return new NodeEngineDirectory(
        entries,
        probe,
        name ->
            Arrays.stream(InetAddress.getAllByName(name)).map(a -> a.getHostAddress()).toList());
  }

  /** Whether any node is found by DNS (and so may move to another address). */
  boolean discovers() {
    return !dnsNames.isEmpty();
  }

  /** The Docker API of the node with this swarm id and hostname, as {@code tcp://address:port}. */
  Optional<String> find(String nodeId, @Nullable String hostname) {
    if (hostname != null && byHostname.containsKey(hostname))
      return Optional.of(byHostname.get(hostname));
    for (DnsName dns : dnsNames) {
      List<String> addresses;
      try {
        addresses = resolver.addresses(dns.name());
      } catch (UnknownHostException e) {
        log.warn("no address for {}: {}", dns.name(), e.getMessage());
        continue;
      }
      for (String address : addresses) {
        String host =
            "tcp://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + dns.port();
        String answered;
        try {
          answered = probe.nodeIdAt(host);
        } catch (RuntimeException e) {
          log.debug("{} did not say its node: {}", host, e.toString());
          continue;
        }
        if (nodeId.equals(answered)) return Optional.of(host);
      }
    }
    return Optional.empty();
  }
}
