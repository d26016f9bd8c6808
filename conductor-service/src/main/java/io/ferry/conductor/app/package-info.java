/** The conductor's use cases: migrations kept in memory, decided by the domain, recorded and carried out through ports. */
package io.ferry.conductor.app;
