package io.ferry.schemas;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A newer version of a Ferry message as a later release would write it: the current schema with one more string field
 * (default ""), and records encoded with it. For the tests of every reader that must accept such records.
 */
public final class NewerWriter {

    private NewerWriter() {
    }

    /** The schema of {@code current} with one more string field {@code field} (default ""), first in the record. */
    public static Schema schema(Schema current, String field) {
        String json = current.toString();
        int fields = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fields) + "{\"name\":\"" + field
                + "\",\"type\":\"string\",\"default\":\"\"}," + json.substring(fields));
    }

    /** {@code message} encoded (single-object encoding) with {@code writer}, its added field set to "surplus". */
    public static byte[] encode(Schema writer, SpecificRecordBase message, String addedField) {
        GenericData.Record record = new GenericData.Record(writer);
        for (Schema.Field field : message.getSchema().getFields()) {
            record.put(field.name(), message.get(field.name()));
        }
        record.put(addedField, "surplus");
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericData.Record>(SpecificData.get(), writer).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
