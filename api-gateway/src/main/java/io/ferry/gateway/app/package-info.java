/** The gateway's read models and use cases. */
package io.ferry.gateway.app;
