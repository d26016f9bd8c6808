/**
 * What is asked of the scheduler: the {@link io.ferry.scheduler.domain.request.RequestSpec} of one
 * live migration (flavor, guest CPU, guest NUMA topology, devices, server group, source, zone,
 * forced host) with the derived demand precomputed once per request.
 */
package io.ferry.scheduler.domain.request;
