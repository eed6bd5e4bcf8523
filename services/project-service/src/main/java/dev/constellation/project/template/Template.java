package dev.constellation.project.template;

/** What GET /api/templates lists. */
public record Template(String id, String name, String description, String language) {}
