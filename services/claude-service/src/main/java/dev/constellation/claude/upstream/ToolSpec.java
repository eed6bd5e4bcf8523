package dev.constellation.claude.upstream;

import java.util.List;
import java.util.Map;

/** A client tool the model is made to call: its name, what it is for and its input JSON schema. */
public record ToolSpec(
    String name, String description, Map<String, Object> properties, List<String> required) {}
