package io.ferry.schemas.compat;

import io.ferry.schemas.MessageTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Every released version of every message schema, kept as self-contained {@code .avsc} files under
 * {@code schemas/src/main/resources/schema-history/<full name>/v<N>.avsc}. The codec reads records written with
 * any of them; the build checks every current schema against all of them.
 *
 * <p>Run {@code main} with the history directory to add the current schema of every type whose newest kept
 * version differs (after a compatible change, before releasing it).
 */
public final class SchemaHistory {

    private static final String ROOT = "schema-history/";

    private SchemaHistory() {
    }

    /** The kept versions of a schema, oldest first (empty when none is kept). */
    public static List<Schema> versions(String fullName) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int v = 1; ; v++) {
            try (InputStream in = loader.getResourceAsStream(ROOT + fullName + "/v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Adds the current schema of each message type as its next version where it differs from the newest kept. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "schemas/src/main/resources/schema-history");
        for (Class<?> type : MessageTypes.ALL) {
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> kept = versions(current.getFullName());
            if (!kept.isEmpty() && kept.getLast().equals(current)) {
                continue;
            }
            Path file = dir.resolve(current.getFullName()).resolve("v" + (kept.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n");
            System.out.println("kept " + file);
        }
    }
}
