/**
 * The HTTP edge: the compute API v2.1 (controllers, Nova's JSON views and fault bodies, microversion negotiation),
 * Ferry's own {@code /ferry/v1} API (drains, the console's fleet document and its ticketed event stream).
 */
package io.ferry.gateway.adapter.rest;
