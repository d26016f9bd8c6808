package io.ferry.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Full compatibility between two versions of a schema: the new one reads what the old one wrote (backward) and the
 * old one reads what the new one writes (forward). Each problem is described with the field it is about.
 */
public final class SchemaCompatibilityCheck {

    private SchemaCompatibilityCheck() {
    }

    /** The problems that make {@code current} not fully compatible with {@code previous}; empty when it is. */
    public static List<String> problems(Schema current, Schema previous, String previousLabel) {
        List<String> problems = new ArrayList<>();
        describe(problems, "backward", current.getFullName(), previousLabel,
                SchemaCompatibility.checkReaderWriterCompatibility(current, previous));
        describe(problems, "forward", current.getFullName(), previousLabel,
                SchemaCompatibility.checkReaderWriterCompatibility(previous, current));
        return problems;
    }

    private static void describe(List<String> problems, String direction, String name, String previousLabel,
                                 SchemaPairCompatibility result) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add("%s is not %s compatible with %s: %s (%s) at %s".formatted(
                    name, direction, previousLabel, incompatibility.getMessage(), incompatibility.getType(),
                    fieldPath(direction.equals("backward") ? result.getReader() : result.getWriter(),
                            incompatibility.getLocation())));
        }
    }

    /** Turns a JSON-pointer location such as {@code /fields/3/type} into {@code field 'name' (/fields/3/type)}. */
    static String fieldPath(Schema root, String location) {
        StringBuilder names = new StringBuilder();
        Schema schema = root;
        String[] parts = location.split("/");
        for (int i = 1; i < parts.length; i++) {
            if ("fields".equals(parts[i]) && i + 1 < parts.length && schema != null
                    && schema.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(parts[++i]);
                if (index < schema.getFields().size()) {
                    Schema.Field field = schema.getFields().get(index);
                    names.append(names.isEmpty() ? "" : ".").append(field.name());
                    schema = field.schema();
                } else {
                    schema = null;
                }
            }
        }
        return names.isEmpty() ? location : "field '" + names + "' (" + location + ")";
    }
}
