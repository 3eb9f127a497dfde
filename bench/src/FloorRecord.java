import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** The record {id, name, amount, updated_at} the http and files floors copy: one mutable instance, reused per record. */
final class FloorRecord {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message t {
              optional int64 id;
              optional binary name (STRING);
              optional double amount;
              optional int64 updated_at (TIMESTAMP(MICROS,true));
            }""");

    long id;
    String name;
    double amount;
    long micros;

    /** Reads the fields of the JSON object {@code p} is in (after its START_OBJECT) into this record. */
    void read(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = p.getLongValue();
                case "name" -> name = p.getText();
                case "amount" -> amount = p.getDoubleValue();
                case "updated_at" -> micros = micros(p.getText());
                default -> p.skipChildren();
            }
        }
    }

    /** The fastest parse at hand: the files source's fast path for ISO-8601 instants, else the JDK's. */
    static long micros(String isoInstant) {
        Instant fast = dev.caravan.source.file.IsoTimes.instant(isoInstant);
        Instant at = fast != null ? fast : Instant.parse(isoInstant);
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    static void write(RecordConsumer consumer, FloorRecord r) {
        consumer.startField("id", 0);
        consumer.addLong(r.id);
        consumer.endField("id", 0);
        consumer.startField("name", 1);
        consumer.addBinary(Binary.fromString(r.name));
        consumer.endField("name", 1);
        consumer.startField("amount", 2);
        consumer.addDouble(r.amount);
        consumer.endField("amount", 2);
        consumer.startField("updated_at", 3);
        consumer.addLong(r.micros);
        consumer.endField("updated_at", 3);
    }
}
