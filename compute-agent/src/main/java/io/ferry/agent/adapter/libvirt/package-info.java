/**
 * The libvirt driver: drives a real libvirtd through libvirt-java 0.5.2 and a small JNA binding for the
 * typed-parameter calls it lacks (migration, job stats, post-copy, hypervisor CPU comparison) and for libvirt's
 * domain events (the default event loop, MIGRATION_ITERATION, JOB_COMPLETED and LIFECYCLE callbacks).
 */
package io.ferry.agent.adapter.libvirt;
