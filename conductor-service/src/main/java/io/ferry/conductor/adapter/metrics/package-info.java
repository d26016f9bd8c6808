/** The conductor's figures for Prometheus (Micrometer): migrations by status, and each ended migration's cost. */
package io.ferry.conductor.adapter.metrics;
