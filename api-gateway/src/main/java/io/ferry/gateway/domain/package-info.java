/** Plain-Java rules of the compute and identity APIs: microversions, principals, Nova's default policy. */
package io.ferry.gateway.domain;
