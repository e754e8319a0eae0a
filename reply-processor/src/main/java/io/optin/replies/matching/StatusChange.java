package io.optin.replies.matching;

/** One program's status changed for a phone; published on the compacted status topic. */
public record StatusChange(String programId, ProgramStatus status) {}
