package dev.constellation.project.member;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

// role is a String, not the enum, so that a bad value is a 400 naming the field rather than an
// unreadable body.
record SetMemberRequest(
    @NotNull @Pattern(regexp = "VIEWER|EDITOR|OWNER", message = "must be VIEWER, EDITOR or OWNER")
        String role) {}
