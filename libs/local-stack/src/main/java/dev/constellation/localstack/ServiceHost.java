package dev.constellation.localstack;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code LOCAL_ONE_JVM=1}: the four services as four Spring Boot applications in one JVM. Each runs
 * from its own unpacked boot jar in its own class loader (nothing of Spring, Netty, Tomcat or our
 * code is shared between them, so the gateway's WebFlux and Redis auto-configuration cannot leak
 * into a servlet service), with its own environment (the process's plus its own overrides, put in
 * place of Spring's system-environment property source, so that no service reads another's settings
 * through System properties or the real environment), and its own log file: a line goes to the log
 * of the service whose class loader is the writing thread's context class loader, which every
 * thread a service starts inherits.
 *
 * <p>Only the JDK is on this class's class path (the launcher starts it from its own classes), so
 * it drives Spring Boot by reflection. The plan file holds, per service: {@code N.name}, {@code
 * N.jar} (the unpacked boot jar, whose manifest names its libraries), {@code N.log}, {@code
 * N.arg.M} (its command line) and {@code N.env.NAME} (its overrides: never secrets, which come
 * through the real environment).
 */
public final class ServiceHost {
  private ServiceHost() {}

  public static void main(String[] args) throws Exception {
    Properties plan = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      plan.load(in);
    }
    List<Service> services = new ArrayList<>();
    for (int i = 0; plan.containsKey(i + ".name"); i++) services.add(Service.from(plan, i));
    LogsByLoader logs = new LogsByLoader(System.out);
    for (Service service : services) logs.add(service.loader, service.log);
    System.setOut(new PrintStream(logs.stream(), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(logs.stream(), true, StandardCharsets.UTF_8));
    // java.util.logging is one per JVM (Tomcat logs through it): its records go to the SLF4J bridge
    // of the service of the logging thread. With this handler in place Spring Boot leaves the root
    // logger alone instead of giving it to whichever service initialises logging first.
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) root.removeHandler(handler);
    root.addHandler(new JulByLoader(services));
    for (Service service : services) service.disableTomcatUrlFactory();

    // All at once, as four processes would: the contexts refresh side by side on the cores.
    CountDownLatch done = new CountDownLatch(services.size());
    for (Service service : services) {
      Thread starter =
          new Thread(
              () -> {
                try {
                  service.run();
                } catch (Throwable e) {
                  e.printStackTrace();
                  // A service that cannot start takes the host down: the launcher reports it and
                  // restarts the host, as it would a service process.
                  System.exit(1);
                } finally {
                  done.countDown();
                }
              },
              service.name + "-main");
      starter.setContextClassLoader(service.loader);
      starter.start();
    }
    done.await();
    // The recording start (OneJvm): the archive is written at exit, once all four have started.
    // Spring's own spring.context.exit=onRefresh would halt the JVM at the first refreshed context.
    if (Boolean.getBoolean(EXIT_WHEN_STARTED)) System.exit(0);
  }

  static final String EXIT_WHEN_STARTED = "constellation.host.exitWhenStarted";

  private record Service(
      String name,
      ClassLoader loader,
      String mainClass,
      Path log,
      String[] args,
      Map<String, String> env) {

    static Service from(Properties plan, int i) throws IOException {
      Path jar = Path.of(plan.getProperty(i + ".jar"));
      String mainClass;
      try (JarFile file = new JarFile(jar.toFile())) {
        mainClass = file.getManifest().getMainAttributes().getValue("Main-Class");
      }
      // The platform loader as parent: the application class path (this host) stays invisible.
      ClassLoader loader =
          new URLClassLoader(
              plan.getProperty(i + ".name"),
              new URL[] {jar.toUri().toURL()},
              ClassLoader.getPlatformClassLoader());
      List<String> args = new ArrayList<>();
      for (int m = 0; plan.containsKey(i + ".arg." + m); m++)
        args.add(plan.getProperty(i + ".arg." + m));
      Map<String, String> env = new HashMap<>(System.getenv());
      String prefix = i + ".env.";
      for (String key : plan.stringPropertyNames()) {
        if (key.startsWith(prefix)) env.put(key.substring(prefix.length()), plan.getProperty(key));
      }
      return new Service(
          plan.getProperty(i + ".name"),
          loader,
          mainClass,
          Path.of(plan.getProperty(i + ".log")),
          args.toArray(String[]::new),
          Map.copyOf(env));
    }

    /**
     * {@code new SpringApplication(main)}, given an environment of the kind it would make itself
     * whose system-environment source is this service's map, then {@code run(args)}.
     */
    void run() throws Exception {
      Class<?> main = Class.forName(mainClass, false, loader);
      Class<?> applicationType = type("org.springframework.boot.SpringApplication");
      Object application =
          applicationType.getConstructor(Class[].class).newInstance((Object) new Class<?>[] {main});
      Object webType = applicationType.getMethod("getWebApplicationType").invoke(application);
      Class<?> factoryType = type("org.springframework.boot.ApplicationContextFactory");
      Object factory = factoryType.getField("DEFAULT").get(null);
      Object environment =
          factoryType
              .getMethod("createEnvironment", type("org.springframework.boot.WebApplicationType"))
              .invoke(factory, webType);
      if (environment == null) {
        environment =
            type("org.springframework.boot.ApplicationEnvironment")
                .getDeclaredConstructor()
                .newInstance();
      }
      Class<?> environmentType = type("org.springframework.core.env.ConfigurableEnvironment");
      Object sources = environmentType.getMethod("getPropertySources").invoke(environment);
      Class<?> sourceType = type("org.springframework.core.env.PropertySource");
      Object systemEnvironment =
          type("org.springframework.core.env.SystemEnvironmentPropertySource")
              .getConstructor(String.class, Map.class)
              .newInstance("systemEnvironment", new HashMap<String, Object>(env));
      sources
          .getClass()
          .getMethod("replace", String.class, sourceType)
          .invoke(sources, "systemEnvironment", systemEnvironment);
      applicationType.getMethod("setEnvironment", environmentType).invoke(application, environment);
      Method run = applicationType.getMethod("run", String[].class);
      try {
        run.invoke(application, (Object) args);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }

    /**
     * Each Tomcat would install its {@code war:} URL handler with URL.setURLStreamHandlerFactory,
     * which a JVM allows once: the second servlet service would fail to start. Embedded Tomcat
     * serving no WAR files does not need it.
     */
    void disableTomcatUrlFactory() throws ReflectiveOperationException {
      try {
        type("org.apache.catalina.webresources.TomcatURLStreamHandlerFactory")
            .getMethod("disable")
            .invoke(null);
      } catch (ClassNotFoundException notServlet) {
        // The gateway runs on Netty.
      }
    }

    /** Its java.util.logging bridge, or null if it has none. */
    Handler julBridge() {
      try {
        return (Handler) type("org.slf4j.bridge.SLF4JBridgeHandler").getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        return null;
      }
    }

    private Class<?> type(String name) throws ClassNotFoundException {
      return Class.forName(name, false, loader);
    }
  }

  /** The JVM's one java.util.logging root handler: a record goes to its thread's service. */
  private static final class JulByLoader extends Handler {
    private final Map<ClassLoader, Handler> bridges = new HashMap<>();

    JulByLoader(List<Service> services) {
      for (Service service : services) {
        Handler bridge = service.julBridge();
        if (bridge != null) bridges.put(service.loader, bridge);
      }
    }

    @Override
    public void publish(LogRecord record) {
      for (ClassLoader l = Thread.currentThread().getContextClassLoader();
          l != null;
          l = l.getParent()) {
        Handler bridge = bridges.get(l);
        if (bridge != null) {
          bridge.publish(record);
          return;
        }
      }
      System.err.println(
          record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /**
   * System.out and System.err of the whole JVM: each write goes to the log of the service whose
   * class loader is (an ancestor of) the thread's context class loader, else to the host's own
   * output (the JVM's, and threads of the JDK's shared pools).
   */
  private static final class LogsByLoader {
    private final Map<ClassLoader, OutputStream> logs = new HashMap<>();
    private final OutputStream fallback;

    LogsByLoader(OutputStream fallback) {
      this.fallback = fallback;
    }

    void add(ClassLoader loader, Path log) throws IOException {
      Files.createDirectories(log.getParent());
      logs.put(loader, new FileOutputStream(log.toFile(), true));
    }

    private OutputStream target() {
      for (ClassLoader l = Thread.currentThread().getContextClassLoader();
          l != null;
          l = l.getParent()) {
        OutputStream log = logs.get(l);
        if (log != null) return log;
      }
      return fallback;
    }

    OutputStream stream() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          OutputStream target = target();
          synchronized (target) {
            target.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          OutputStream target = target();
          synchronized (target) {
            target.write(b, off, len);
          }
        }

        @Override
        public void flush() throws IOException {
          OutputStream target = target();
          synchronized (target) {
            target.flush();
          }
        }
      };
    }
  }
}
