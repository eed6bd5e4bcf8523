package dev.constellation.project.transfer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits on imported archives; the upload's own size is spring.servlet.multipart.max-file-size.
 *
 * @param maxEntries most entries (files and folders) an archive may hold
 * @param maxTotalBytes most bytes all entries may unpack to, counted while unpacking
 * @param maxCompressionRatio highest unpacked/packed ratio of an entry or of the whole archive
 * @param ratioCheckAfterBytes unpacked size below which the ratio is not judged (tiny files compress absurdly well)
 */
@ConfigurationProperties(prefix = "constellation.transfer")
record TransferProperties(int maxEntries, DataSize maxTotalBytes, int maxCompressionRatio, DataSize ratioCheckAfterBytes) {}
