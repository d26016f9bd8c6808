/**
 * The contract between Ferry's services: generated Avro message classes (sub-packages {@code common},
 * {@code migration}, {@code scheduler}, {@code host}), topic names, which topic carries which message
 * ({@link io.ferry.schemas.MessageTypes}), the wire codec and the compatibility check.
 */
package io.ferry.schemas;
