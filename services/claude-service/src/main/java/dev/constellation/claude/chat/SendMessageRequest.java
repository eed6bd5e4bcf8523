package dev.constellation.claude.chat;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/conversations/{cid}/messages}; limits are checked by the controller. */
record SendMessageRequest(
    String content,
    @Nullable Context context,
    @Schema(allowableValues = {"ask", "agent"}) @Nullable String mode) {

  record Context(@Nullable List<String> files, @Nullable Selection selection) {}

  record Selection(String path, Integer startLine, Integer endLine) {}
}
