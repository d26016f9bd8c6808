package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.compat.SchemaCompatibilityCheck;
import io.ferry.schemas.compat.SchemaHistory;
import io.ferry.schemas.migration.LiveMigrate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The build-time gate: every schema stays fully compatible with every version kept in the module. */
class SchemaCompatibilityTest {

    @Test
    void everyMessageSchemaIsFullyCompatibleWithEveryKeptVersion() {
        // given every message type and its kept versions
        List<String> problems = new ArrayList<>();
        for (Class<?> type : MessageTypes.ALL) {
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> versions = SchemaHistory.versions(current.getFullName());
            if (versions.isEmpty()) {
                problems.add(current.getFullName() + " has no kept version: run SchemaHistory (see schemas/README.md)");
            }
            for (int v = 0; v < versions.size(); v++) {
                // when
                problems.addAll(SchemaCompatibilityCheck.problems(current, versions.get(v), "v" + (v + 1)));
            }
        }
        // then
        assertThat(problems).as("schema compatibility problems").isEmpty();
    }

    @Test
    void aNewFieldWithoutADefaultIsRejectedNamingTheField() {
        // given a copy of LiveMigrate with a new required field
        Schema current = LiveMigrate.getClassSchema();
        Schema changed = new Schema.Parser().parse(
                current.toString().replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"priority\",\"type\":\"int\"},"));

        // when
        List<String> problems = SchemaCompatibilityCheck.problems(changed, current, "v1");

        // then
        assertThat(problems).isNotEmpty();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("backward").contains("priority"));
    }

    @Test
    void aRemovedFieldWithoutADefaultIsRejectedAsForwardIncompatible() {
        // given a copy of LiveMigrate without its required instanceUuid field
        Schema current = LiveMigrate.getClassSchema();
        Schema changed = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> !f.name().equals("instanceUuid"))
                        .map(f -> new Schema.Field(f, f.schema())).toList());
        assertThat(changed.getField("instanceUuid")).isNull();

        // when
        List<String> problems = SchemaCompatibilityCheck.problems(changed, current, "v1");

        // then old readers can no longer read what the new writer writes
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("forward").contains("instanceUuid"));
    }

    @Test
    void aNewFieldWithADefaultIsCompatible() {
        // given
        Schema current = LiveMigrate.getClassSchema();
        Schema changed = new Schema.Parser().parse(current.toString().replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"priority\",\"type\":\"int\",\"default\":0},"));

        // when / then
        assertThat(SchemaCompatibilityCheck.problems(changed, current, "v1")).isEmpty();
    }
}
