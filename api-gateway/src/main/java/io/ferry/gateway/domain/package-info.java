/** Plain-Java rules of the compute API: microversions. */
package io.ferry.gateway.domain;
