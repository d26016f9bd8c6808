/**
 * What the scheduler knows of each compute host: the immutable {@link io.ferry.scheduler.domain.host.HostState}
 * projected from {@code ferry.host.events} (inventory with reserved amounts and allocation ratios,
 * usage, CPU, NUMA cells, PCI devices, cell, zone, aggregates, service state, migrations in flight),
 * with open claims folded in, and the NUMA fitting shared by the filter and the claim ledger.
 */
package io.ferry.scheduler.domain.host;
