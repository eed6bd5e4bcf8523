package dev.constellation.claude;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Test code is not analysed: the rule is about what the service ships. */
@AnalyzeClasses(
    packages = "dev.constellation.claude",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.constellation.claude";

  @ArchTest
  static final ArchRule onlyUpstreamTalksToTheAnthropicSdk =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".upstream..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.anthropic..")
          .because(
              "the SDK's types, errors and retries stay behind ClaudeClient, so chat and edits "
                  + "see only Prompt, Completion and UpstreamException and an SDK upgrade touches one package");

  @ArchTest
  static final ArchRule neverTouchesProjectFilesOnDisk =
      noClasses()
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(
              java.nio.file.Files.class,
              java.nio.file.SecureDirectoryStream.class,
              java.nio.channels.FileChannel.class,
              java.io.File.class)
          .because(
              "workspace-service is the only code that touches WORKSPACES_ROOT; the assistant reads and "
                  + "writes a project's files through workspace-service's files API, with the caller's rights");

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
