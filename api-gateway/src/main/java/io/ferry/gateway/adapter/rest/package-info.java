/** The compute API v2.1 over HTTP: controllers, Nova's JSON views and fault bodies, microversion negotiation. */
package io.ferry.gateway.adapter.rest;
