/**
 * The scheduler's application layer: {@link io.ferry.scheduler.app.SchedulingService} places each migration through
 * the domain's filters, weighers and claim ledger and makes every claim durable through the
 * {@link io.ferry.scheduler.app.ClaimJournal} port before the decision is announced;
 * {@link io.ferry.scheduler.app.FleetProjection} keeps the newest report of every host for decisions to read.
 */
package io.ferry.scheduler.app;
