package io.ferry.conductor.domain;

/** What the conductor needs to know of the instance it migrates. */
public record Instance(String uuid, String name, long memoryMb, int vcpus, int diskGb, String projectId,
                       String userId) {
}
