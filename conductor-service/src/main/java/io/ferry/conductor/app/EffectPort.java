package io.ferry.conductor.app;

import io.ferry.conductor.domain.Effect;

/** Carries out the process's effects: requests to the scheduler, orders to agents. */
public interface EffectPort {

    void carryOut(Effect effect, String causationId);
}
