/** The simulated hypervisor driver: serves the laptop default, the tests and the scale runs. */
package io.ferry.agent.adapter.sim;
