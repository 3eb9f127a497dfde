package dev.caravan.source.faker;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/** {@code users}: people with an e-mail, an age consistent with their birthday and a JSON address. */
final class UsersTable implements FakeTable {
    static final String NAME = "users";
    static final Schema SCHEMA = new Schema(List.of(
            Field.required("id", FieldType.INT64),
            Field.nullable("name", FieldType.STRING),
            Field.nullable("email", FieldType.STRING),
            Field.nullable("age", FieldType.INT32),
            Field.nullable("is_active", FieldType.BOOLEAN),
            Field.nullable("balance", FieldType.decimal(12, 2)),
            Field.nullable("birthday", FieldType.DATE),
            Field.nullable("created_at", FieldType.TIMESTAMP_TZ),
            Field.required("updated_at", FieldType.TIMESTAMP_TZ),
            Field.nullable("address", FieldType.JSON)));

    private static final long SALT = 0x7573657273L;
    private static final int MIN_AGE = 18;
    private static final int MAX_AGE = 80;
    private static final long MAX_BALANCE_CENTS = 5_000_000L;
    private static final long MAX_ACCOUNT_AGE_SECONDS = 2L * 365 * 24 * 3600;

    private final FakerConfig config;
    private final long base;
    /** Epoch day of the start date {@code i} years earlier, for i in 0..MAX_AGE+1: birthdays give exact ages. */
    private final long[] yearsBeforeStart = new long[MAX_AGE + 2];

    UsersTable(FakerConfig config) {
        this.config = config;
        this.base = RowRandom.streamBase(config.seed(), SALT);
        LocalDate startDay = LocalDate.ofInstant(config.startDate(), ZoneOffset.UTC);
        for (int years = 0; years < yearsBeforeStart.length; years++) {
            yearsBeforeStart[years] = startDay.minusYears(years).toEpochDay();
        }
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public long size() {
        return config.users();
    }

    @Override
    public void fill(long id, Object[] row) {
        SplittableRandom random = RowRandom.forRow(base, id);
        int first = random.nextInt(Words.FIRST_NAMES.length);
        int last = random.nextInt(Words.LAST_NAMES.length);
        int age = MIN_AGE + random.nextInt(MAX_AGE - MIN_AGE + 1);
        Instant updatedAt = config.updatedAt(id);
        row[0] = id;
        row[1] = Words.FIRST_NAMES[first] + ' ' + Words.LAST_NAMES[last];
        row[2] = Words.FIRST_NAMES_LOWER[first] + '.' + Words.LAST_NAMES_LOWER[last] + id + '@' + Words.pick(random, Words.EMAIL_DOMAINS);
        row[3] = age;
        row[4] = random.nextInt(100) < 85;
        row[5] = BigDecimal.valueOf(random.nextLong(MAX_BALANCE_CENTS), 2);
        row[6] = birthday(age, random);
        row[7] = updatedAt.minusSeconds(random.nextLong(MAX_ACCOUNT_AGE_SECONDS));
        row[8] = updatedAt;
        row[9] = address(random);
    }

    /** A day on which the user, born then, is exactly {@code age} years old at the start date. */
    private LocalDate birthday(int age, SplittableRandom random) {
        long earliest = yearsBeforeStart[age + 1] + 1;
        return LocalDate.ofEpochDay(earliest + random.nextLong(yearsBeforeStart[age] - earliest + 1));
    }

    private static String address(SplittableRandom random) {
        int city = random.nextInt(Words.CITIES.length);
        StringBuilder json = new StringBuilder(128).append("{\"street\":\"").append(1 + random.nextInt(250)).append(' ');
        JsonText.escaped(json, Words.pick(random, Words.STREETS)).append("\",\"city\":");
        JsonText.string(json, Words.CITIES[city]).append(",\"zip\":\"");
        appendZip(json, random.nextInt(100_000));
        json.append("\",\"country\":");
        return JsonText.string(json, Words.COUNTRIES[city]).append('}').toString();
    }

    private static void appendZip(StringBuilder json, int zip) {
        for (int digit = 10_000; digit > 1 && zip < digit; digit /= 10) {
            json.append('0');
        }
        json.append(zip);
    }
}
