/** The agent's figures for Prometheus (Micrometer): per host, its guests, memory in use and migrations in flight. */
package io.ferry.agent.adapter.metrics;
