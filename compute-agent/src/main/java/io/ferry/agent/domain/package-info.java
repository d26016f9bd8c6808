/** Plain-Java model of one hypervisor host: its capacity and the guests it runs or is about to receive. */
package io.ferry.agent.domain;
