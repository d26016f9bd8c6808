package io.ferry.schemas.codec;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Where a reader finds a writer schema it does not know by fingerprint (a newer version of a message type): in
 * production the schemas announced on {@code ferry.schemas}. Answers empty when nobody announced it.
 */
@FunctionalInterface
public interface WriterSchemas {

    /** Knows no schema beyond the build's own. */
    WriterSchemas NONE = fingerprint -> Optional.empty();

    Optional<Schema> writerSchema(long fingerprint);
}
