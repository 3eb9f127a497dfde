package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written before JSON columns carried the JSON logical type (STRING then) are read as they are. */
class ParquetRowReaderTest {
    @TempDir
    Path dir;

    @Test
    void aStringColumnOfAnOlderFileIsReadIntoAJsonColumnAndOtherTypeChangesAreNot() throws Exception {
        MessageType old = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("_airbyte_meta")
                .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("address")
                .optional(PrimitiveTypeName.BINARY).named("blob")
                .named("caravan_record");
        Path file = dir.resolve("old.parquet");
        try (ParquetWriter<Object[]> writer = ParquetFiles.open(new LocalOutputFile(file), new PhysicalWriteSupport(old), ParquetFormat.DEFAULT)) {
            writer.write(new Object[] {Binary.fromString("{\"sync_id\":1,\"changes\":[]}"), Binary.fromString("{\"city\":\"Oslo\"}"),
                    Binary.fromString("raw")});
        }
        MessageType now = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named("_airbyte_meta")
                .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named("address")
                .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType()).named("blob")
                .named("caravan_record");
        try (ParquetRowReader reader = new ParquetRowReader(new LocalInputFile(file), now, "old file")) {
            assertThat(reader.changedColumns()).as("plain binary is not text").containsExactly("blob");
            Object[] row = reader.next();
            assertThat(((Binary) row[0]).toStringUsingUTF8()).isEqualTo("{\"sync_id\":1,\"changes\":[]}");
            assertThat(((Binary) row[1]).toStringUsingUTF8()).isEqualTo("{\"city\":\"Oslo\"}");
            assertThat(row[2]).isNull();
        }
    }
}
