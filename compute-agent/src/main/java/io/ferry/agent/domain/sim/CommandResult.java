package io.ferry.agent.domain.sim;

/** The answer to a command on a running job: refusals are values, as libvirt returns errors. */
public sealed interface CommandResult {

    Accepted ACCEPTED = new Accepted();

    static CommandResult refused(String reason) {
        return new Refused(reason);
    }

    record Accepted() implements CommandResult {
    }

    record Refused(String reason) implements CommandResult {
    }
}
