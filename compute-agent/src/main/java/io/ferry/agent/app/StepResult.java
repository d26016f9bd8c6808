package io.ferry.agent.app;

/** An agent's answer to one command from the conductor. */
public record StepResult(Outcome outcome, String reason) {

    public enum Outcome { DONE, REFUSED, FAILED }

    public static StepResult done() {
        return new StepResult(Outcome.DONE, null);
    }

    public static StepResult refused(String reason) {
        return new StepResult(Outcome.REFUSED, reason);
    }

    public static StepResult failed(String reason) {
        return new StepResult(Outcome.FAILED, reason);
    }
}
