/**
 * The Keystone v3 subset over HTTP (port 5000 and {@code /identity}), and validation against an external Keystone.
 */
package io.ferry.gateway.adapter.keystone;
