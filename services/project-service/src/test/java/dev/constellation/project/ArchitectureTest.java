package dev.constellation.project;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.auth.JwtCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Test code is not analysed: the rules are about what the service ships. */
@AnalyzeClasses(
    packages = "dev.constellation.project",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.constellation.project";

  @ArchTest
  static final ArchRule onlyTemplatesReadTheFileSystem =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".template..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(
              Files.class,
              java.nio.file.SecureDirectoryStream.class,
              java.nio.channels.FileChannel.class,
              java.io.File.class,
              java.io.FileInputStream.class,
              java.io.FileOutputStream.class)
          .because(
              "workspace-service is the only code that touches WORKSPACES_ROOT (through its no-follow walk); "
                  + "this service reaches a project's files only through WorkspaceFilesClient, and reads nothing but "
                  + "the installation's template folder (TEMPLATES_DIR)");

  @Test
  void noConfigurationPointsThisServiceAtTheWorkspacesRoot() throws IOException {
    try (Stream<Path> resources = Files.walk(Path.of("src/main/resources"))) {
      for (Path file :
          resources.filter(p -> p.toString().matches(".*\\.(ya?ml|properties)$")).toList()) {
        assertThat(Files.readString(file))
            .as(file.toString())
            .doesNotContain("WORKSPACES_ROOT")
            .doesNotContain("workspaces-root");
      }
    }
  }

  @ArchTest
  static final ArchRule signsNoUserTokens =
      noClasses()
          .should()
          .callMethod(JwtCodec.class, "sign", AuthenticatedUser.class, Duration.class)
          .because(
              "only the gateway's AuthService signs a user's token; a service acts as itself "
                  + "(JwtCodec.signServiceToken) and asks project-service's /internal endpoints about users");
}
