package dev.constellation.workspace.files;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much of WORKSPACES_ROOT a project may use, and what an imported archive may hold.
 *
 * @param projectQuota most bytes of regular files one project may hold (WORKSPACE_PROJECT_QUOTA);
 *     file writes, imports and template creates beyond it are refused
 * @param maxUploadBytes largest archive accepted for import, counted while it arrives
 * @param maxEntries most entries (files and folders) an archive may hold, counted before its
 *     central directory is parsed
 * @param maxTotalBytes most bytes all entries may unpack to, counted while unpacking
 * @param maxCompressionRatio highest unpacked/packed ratio of an entry or of the whole archive
 * @param ratioCheckAfterBytes unpacked size below which the ratio is not judged (tiny files
 *     compress absurdly well)
 */
@Validated
@ConfigurationProperties(prefix = "workspace.disk")
record DiskProperties(
    @NotNull @DefaultValue("1GB") DataSize projectQuota,
    @NotNull @DefaultValue("200MB") DataSize maxUploadBytes,
    @Positive @DefaultValue("20000") int maxEntries,
    @NotNull @DefaultValue("1GB") DataSize maxTotalBytes,
    @Positive @DefaultValue("100") int maxCompressionRatio,
    @NotNull @DefaultValue("1MB") DataSize ratioCheckAfterBytes) {}
