/** Use cases of a compute agent: one {@link io.ferry.agent.app.HostAgent} per host, behind ports for the driver and events. */
package io.ferry.agent.app;
