package dev.constellation.system.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.localstack.LocalStack;
import dev.constellation.system.SystemStack;
import dev.constellation.system.chaos.StackFaults;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A3: local mode listens on loopback only, so nobody on the network reaches a service directly. */
class LoopbackBindingIT {

  @Test
  @Checklist({"A3"})
  void everyServiceRedisAndTheDatabaseListenOnLoopbackOnly() throws Exception {
    LocalStack stack = SystemStack.get();
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (var spec : LocalStack.SERVICES) ports.put(spec.name(), stack.service(spec.name()).port());
    ports.put("redis-server", stack.redis().port());
    ports.put("MongoDB-wire server", URI.create(stack.mongoUri()).getPort());

    List<InetAddress> external = nonLoopbackAddresses();
    for (var entry : ports.entrySet()) {
      var listeners = StackFaults.listenersOn(entry.getValue());
      assertThat(listeners)
          .as(entry.getKey() + " listens on port " + entry.getValue())
          .isNotEmpty();
      assertThat(listeners)
          .as(entry.getKey() + " listening sockets (0.0.0.0 or :: would reach every network)")
          .allSatisfy(listener -> assertThat(listener.loopback()).as(listener.toString()).isTrue());
      for (InetAddress address : external) {
        assertThat(StackFaults.accepts(address.getHostAddress(), entry.getValue()))
            .as(entry.getKey() + " must refuse connections on " + address.getHostAddress())
            .isFalse();
      }
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws Exception {
    List<InetAddress> addresses = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) addresses.add(address);
      }
    }
    return addresses;
  }
}
