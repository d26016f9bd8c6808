/** The migration lifecycle in plain Java: statuses and their transitions, and the process that decides each next step. */
package io.ferry.conductor.domain;
