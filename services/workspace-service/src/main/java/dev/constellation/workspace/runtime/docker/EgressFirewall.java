package dev.constellation.workspace.runtime.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host firewall that makes outbound network safe for workspaces.
 *
 * <p>Why: with egress on, the workspace network is an ordinary (non-internal) Docker bridge, so
 * Docker forwards and masquerades whatever a workspace sends. Inter-container traffic is off on it,
 * but that alone would still let a workspace reach the host through its bridge gateway address
 * (every port the host listens on: services, Redis, the database, a TCP Docker API), the cloud
 * metadata service at 169.254.169.254, and anything on private ranges (the compose networks of the
 * services, the LAN, other Docker networks). So, keyed on the workspace bridge's interface (a name
 * we choose, see {@link #bridgeName}):
 *
 * <ul>
 *   <li>a chain jumped to from DOCKER-USER (the chain Docker evaluates first for forwarded traffic
 *       and never rewrites) rejects forwarded packets to link-local, loopback, private, CGNAT,
 *       multicast and reserved ranges — except the CIDRs the installation allows
 *       (WORKSPACE_EGRESS_ALLOW) and DNS to the host's own resolvers, which Docker's embedded DNS
 *       forwards to from inside the container's namespace;
 *   <li>a chain jumped to from INPUT rejects every new connection from the bridge to the host
 *       itself, on any of its addresses (replies to connections the host opened, such as a port
 *       preview, still pass).
 * </ul>
 *
 * <p>The rules are installed idempotently (each chain flushed and refilled, each jump added once)
 * with iptables run through {@link ProcessBuilder} with fixed arguments, never a shell, and then
 * read back: only when they are there does the caller give workspaces an open network. IPv6 is not
 * enabled on the workspace network, so there is nothing to filter there.
 */
final class EgressFirewall {
  private static final Logger log = LoggerFactory.getLogger(EgressFirewall.class);

  /** Destinations a workspace never reaches unless allowed: none of them is "the internet". */
  static final List<String> BLOCKED =
      List.of(
          "0.0.0.0/8",
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.0.0.0/24",
          "192.168.0.0/16",
          "224.0.0.0/4",
          "240.0.0.0/4");

  private static final Pattern CIDR =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/(\\d{1,2}))?$");

  /** Runs iptables with the given arguments; returns its exit code and output. */
  interface Iptables {
    Result run(List<String> args);

    record Result(int exit, String output) {}
  }

  /** What {@link #install} found. */
  record Outcome(boolean enforced, String detail) {}

  private final Iptables iptables;

  EgressFirewall(Iptables iptables) {
    this.iptables = iptables;
  }

  /** iptables of the host, with its lock waited for (Docker edits the same tables). */
  static EgressFirewall system() {
    return new EgressFirewall(EgressFirewall::runIptables);
  }

  /**
   * The bridge interface name of a workspace network: chosen by us (Docker's own would be known
   * only after the network exists) and derived from the network name, so that
   * deploy/scripts/workspace-firewall.sh computes the same one. At most 15 characters (IFNAMSIZ).
   */
  static String bridgeName(String network) {
    return "cw" + hash(network);
  }

  static String forwardChain(String bridge) {
    return "CW-FWD-" + bridge.substring(2);
  }

  static String inputChain(String bridge) {
    return "CW-IN-" + bridge.substring(2);
  }

  private static String hash(String network) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(network.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code value} is an IPv4 address or CIDR iptables accepts; anything else is refused.
   */
  static boolean isCidr(String value) {
    var m = CIDR.matcher(value);
    if (!m.matches()) return false;
    for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return false;
    return m.group(6) == null || Integer.parseInt(m.group(6)) <= 32;
  }

  /** The forward chain's rules, in order, as {@code iptables -S} prints them. */
  static List<String> forwardRules(String bridge, List<String> allow, List<String> resolvers) {
    String chain = forwardChain(bridge);
    List<String> rules = new ArrayList<>();
    for (String resolver : resolvers) {
      for (String proto : List.of("udp", "tcp")) {
        rules.add(
            "-A "
                + chain
                + " -d "
                + resolver
                + "/32 -p "
                + proto
                + " -m "
                + proto
                + " --dport 53 -j RETURN");
      }
    }
    for (String cidr : allow) rules.add("-A " + chain + " -d " + normalize(cidr) + " -j RETURN");
    for (String cidr : BLOCKED)
      rules.add("-A " + chain + " -d " + cidr + " -j REJECT --reject-with icmp-port-unreachable");
    return rules;
  }

  /** The input chain's rules: replies to what the host opened pass, nothing else. */
  static List<String> inputRules(String bridge) {
    String chain = inputChain(bridge);
    return List.of(
        "-A " + chain + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
        "-A " + chain + " -j REJECT --reject-with icmp-port-unreachable");
  }

  /** A CIDR as iptables prints it back: host bits cleared, /32 spelled out. */
  static String normalize(String cidr) {
    var m = CIDR.matcher(cidr);
    if (!m.matches()) throw new IllegalArgumentException("not a CIDR: " + cidr);
    int bits = m.group(6) == null ? 32 : Integer.parseInt(m.group(6));
    long address = 0;
    for (int i = 1; i <= 4; i++) address = (address << 8) | Integer.parseInt(m.group(i));
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    long network = address & mask;
    return (network >> 24)
        + "."
        + ((network >> 16) & 255)
        + "."
        + ((network >> 8) & 255)
        + "."
        + (network & 255)
        + "/"
        + bits;
  }

  /**
   * Installs (or refreshes) the rules for {@code bridge} and reads them back. Never throws: the
   * outcome says whether workspaces on that bridge may be given an open network.
   */
  Outcome install(String bridge, List<String> allow, List<String> resolvers) {
    for (String cidr : allow) {
      if (!isCidr(cidr)) return new Outcome(false, "WORKSPACE_EGRESS_ALLOW: not a CIDR: " + cidr);
    }
    try {
      if (iptables.run(List.of("-S", "DOCKER-USER")).exit() != 0)
        return new Outcome(
            false, "no DOCKER-USER chain: Docker does not manage iptables on this host");
      fill(forwardChain(bridge), forwardRules(bridge, allow, resolvers));
      fill(inputChain(bridge), inputRules(bridge));
      jump("DOCKER-USER", bridge, forwardChain(bridge));
      jump("INPUT", bridge, inputChain(bridge));
      return verify(bridge, allow, resolvers);
    } catch (RuntimeException e) {
      return new Outcome(false, "iptables failed: " + e.getMessage());
    }
  }

  /**
   * Whether exactly the expected rules are in place, and both jumps to them. One listing of the
   * whole filter table, not one iptables process per chain and jump: this runs before every
   * workspace start, and each process costs ≈ 10 ms on a busy host.
   */
  Outcome verify(String bridge, List<String> allow, List<String> resolvers) {
    Iptables.Result table = iptables.run(List.of("-S"));
    if (table.exit() != 0)
      return new Outcome(false, "the filter table could not be read: " + table.output().strip());
    List<String> rules =
        table.output().lines().map(String::strip).filter(l -> l.startsWith("-A ")).toList();
    if (!inChain(rules, forwardChain(bridge)).equals(forwardRules(bridge, allow, resolvers)))
      return new Outcome(false, "the forward rules did not read back as installed");
    if (!inChain(rules, inputChain(bridge)).equals(inputRules(bridge)))
      return new Outcome(false, "the input rules did not read back as installed");
    for (String[] jump :
        new String[][] {{"DOCKER-USER", forwardChain(bridge)}, {"INPUT", inputChain(bridge)}}) {
      // As `iptables -S` prints what `jump` inserted: what `-C` would have matched.
      if (!rules.contains("-A " + jump[0] + " -i " + bridge + " -j " + jump[1]))
        return new Outcome(false, "no jump from " + jump[0] + " to " + jump[1]);
    }
    return new Outcome(true, "iptables on " + bridge);
  }

  private static List<String> inChain(List<String> rules, String chain) {
    String prefix = "-A " + chain + " ";
    return rules.stream().filter(r -> r.startsWith(prefix)).toList();
  }

  private void fill(String chain, List<String> rules) {
    // -N fails when the chain exists: that is fine, -F empties it either way.
    iptables.run(List.of("-N", chain));
    must(List.of("-F", chain));
    for (String rule : rules) {
      List<String> args = new ArrayList<>(List.of(rule.split(" ")));
      must(args);
    }
  }

  private void jump(String from, String bridge, String chain) {
    if (iptables.run(List.of("-C", from, "-i", bridge, "-j", chain)).exit() == 0) return;
    must(List.of("-I", from, "1", "-i", bridge, "-j", chain));
  }

  private void must(List<String> args) {
    Iptables.Result result = iptables.run(args);
    if (result.exit() != 0)
      throw new IllegalStateException(
          "iptables " + String.join(" ", args) + ": " + result.output().strip());
  }

  /**
   * The host's DNS resolvers that Docker's embedded DNS forwards to, when they sit in a range the
   * firewall blocks (a resolver on the LAN, or a cloud's); loopback ones are never used by Docker
   * for containers.
   */
  static List<String> resolvers() {
    Set<String> found = new LinkedHashSet<>();
    for (Path file :
        List.of(Path.of("/etc/resolv.conf"), Path.of("/run/systemd/resolve/resolv.conf"))) {
      try {
        for (String line : Files.readAllLines(file)) {
          String[] parts = line.strip().split("\\s+");
          if (parts.length >= 2
              && parts[0].equals("nameserver")
              && isCidr(parts[1])
              && !parts[1].contains("/")
              && !parts[1].startsWith("127.")) found.add(parts[1]);
        }
      } catch (IOException | RuntimeException missing) {
        // no such file on this host
      }
    }
    return List.copyOf(found);
  }

  private static Iptables.Result runIptables(List<String> args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readNBytes(1 << 20);
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Iptables.Result(-1, "timed out");
      }
      return new Iptables.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.debug("iptables not runnable: {}", e.toString());
      return new Iptables.Result(-1, "iptables not runnable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Iptables.Result(-1, "interrupted");
    }
  }
}
