package dev.constellation.workspace;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.LocalRuntimePolicy;
import dev.constellation.workspace.lifecycle.WorkspaceResponse;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.lifecycle.WorkspaceStatus;
import dev.constellation.workspace.lifecycle.WorkspaceStoppedEvent;

/**
 * The package map in README.md, enforced: infrastructure stays behind the {@code WorkspaceRuntime}
 * seam and features do not lean on each other's insides. Test code is not analysed: fixtures may
 * inspect containers with docker-java.
 */
@AnalyzeClasses(
    packages = "dev.constellation.workspace",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.constellation.workspace";

  @ArchTest
  static final ArchRule onlyTheDockerRuntimeTalksToDocker =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".runtime.docker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.github.dockerjava..")
          .because(
              "the Docker engine is one implementation of WorkspaceRuntime, swappable for local processes");

  @ArchTest
  static final ArchRule onlyTheLocalRuntimeSpawnsHostProcesses =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".runtime.local..")
          // The one other: iptables with fixed arguments, to install the workspaces' egress
          // firewall on the host (no shell, nothing of a user's in its arguments).
          .and()
          .doNotHaveFullyQualifiedName(ROOT + ".runtime.docker.EgressFirewall")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.pty4j..")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(runtimeExec())
          .because(
              "a host process runs as this service's user, so spawning one is confined to the "
                  + "code that applies the local sandbox and the single-user rule (and the "
                  + "iptables calls of the egress firewall)");

  @ArchTest
  static final ArchRule runtimeImplementationsAreChosenOnlyByConfiguration =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT + ".runtime..", ROOT + ".config..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ROOT + ".runtime.docker..", ROOT + ".runtime.local..")
          .because(
              "features must work the same on either runtime, so they see only WorkspaceRuntime");

  /** Features are leaves: none calls another, and shared pieces sit below them. */
  @ArchTest
  static final ArchRule featuresDependOnlyDownwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("config")
          .definedBy(ROOT + ".config..")
          .layer("runtime")
          .definedBy(ROOT + ".runtime..")
          .layer("access")
          .definedBy(ROOT + ".access..")
          .layer("lifecycle")
          .definedBy(ROOT + ".lifecycle..")
          .layer("files")
          .definedBy(ROOT + ".files..")
          .layer("exec")
          .definedBy(ROOT + ".exec..")
          .layer("terminal")
          .definedBy(ROOT + ".terminal..")
          .layer("concurrency")
          .definedBy(ROOT + ".concurrency..")
          .layer("preview")
          .definedBy(ROOT + ".preview..")
          .layer("search")
          .definedBy(ROOT + ".search..")
          .layer("lsp")
          .definedBy(ROOT + ".lsp..")
          .layer("checkpoint")
          .definedBy(ROOT + ".checkpoint..")
          .whereLayer("lsp")
          .mayNotBeAccessedByAnyLayer()
          // Find in files walks and rewrites, and headless problems read, through the files' own
          // no-follow seam (ProjectWalker, ProjectFiles), never around it. Checkpoints read and
          // restore through the same seam (ProjectWalker, ProjectFiles, WorkingTree); the files
          // layer hears of nothing of theirs but an event.
          .whereLayer("files")
          .mayOnlyBeAccessedByLayers("search", "lsp", "checkpoint")
          .whereLayer("checkpoint")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("search")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("exec")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("terminal")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("preview")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("lifecycle")
          // preview and search only ask whether a workspace is paused (and thaw it for a preview).
          .mayOnlyBeAccessedByLayers("files", "exec", "terminal", "lsp", "preview", "search")
          .whereLayer("access")
          .mayOnlyBeAccessedByLayers(
              "lifecycle", "files", "exec", "terminal", "preview", "search", "lsp", "checkpoint")
          .whereLayer("runtime")
          .mayOnlyBeAccessedByLayers(
              "config", "lifecycle", "exec", "terminal", "preview", "search", "lsp")
          .whereLayer("concurrency")
          .mayOnlyBeAccessedByLayers("exec", "terminal", "lsp");

  /**
   * Reconciler and IdleReaper are public only so that tests can drive them; records and the
   * repository are package-private anyway. A feature that needs more of lifecycle should get a
   * method on WorkspaceService, where state changes stay consistent.
   */
  @ArchTest
  static final ArchRule otherFeaturesUseLifecycleThroughItsServiceApi =
      classes()
          .that()
          .resideInAnyPackage(
              ROOT + ".files..",
              ROOT + ".exec..",
              ROOT + ".terminal..",
              ROOT + ".preview..",
              ROOT + ".search..",
              ROOT + ".lsp..")
          .should()
          .onlyDependOnClassesThat(
              DescribedPredicate.not(JavaClass.Predicates.resideInAPackage(ROOT + ".lifecycle.."))
                  .or(
                      JavaClass.Predicates.belongToAnyOf(
                          WorkspaceService.class,
                          ActivityTracker.class,
                          LocalRuntimePolicy.class,
                          WorkspaceStoppedEvent.class,
                          WorkspaceResponse.class,
                          WorkspaceStatus.class)));

  @ArchTest
  static final ArchRule onlyTheFilesWalkOpensProjectFilesByDescriptor =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".files..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.sun.jna..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(java.nio.file.SecureDirectoryStream.class)
          .because(
              "files.ProjectTree is the one no-follow, fd-relative walk of WORKSPACES_ROOT used by the files API, "
                  + "import, export, template create and delete; a second walk would be a second set of path rules");

  private static DescribedPredicate<JavaMethodCall> runtimeExec() {
    return DescribedPredicate.describe(
        "Runtime.exec",
        call ->
            call.getTargetOwner().isEquivalentTo(Runtime.class) && call.getName().equals("exec"));
  }

  @ArchTest
  static final ArchRule signsNoUserTokens =
      noClasses()
          .should()
          .callMethod(
              dev.constellation.common.auth.JwtCodec.class,
              "sign",
              dev.constellation.common.auth.AuthenticatedUser.class,
              java.time.Duration.class)
          .because(
              "only the gateway's AuthService signs a user's token; a service acts as itself "
                  + "(JwtCodec.signServiceToken) and asks project-service's /internal endpoints about users");
}
