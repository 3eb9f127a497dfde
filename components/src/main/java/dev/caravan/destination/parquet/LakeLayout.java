package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.WriteRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the files of one stream and job go:
 * <pre>
 * raw/{namespace}/{prefix}{stream}/YYYY/MM/DD/data-NNN.parquet          data (date of extraction, UTC)
 * _airbyte_internal/state/{namespace}/{prefix}{stream}/jobs/job-{id}.json manifest of each committed job
 * </pre>
 * An empty namespace drops its segment. NNN has at least three digits and continues after the highest
 * number in the day directory. Data files of a stream are recognised by their exact shape below the stream
 * directory, so a stream never claims the files of another stream whose directory is nested in its own.
 */
record LakeLayout(String streamPrefix, String dayPrefix, String stagingScope, String manifestKey) {
    private static final Pattern DATA_FILE = Pattern.compile("\\d{4}/\\d{2}/\\d{2}/data-(\\d{3,})\\.parquet");
    private static final Pattern DATA_FILE_NAME = Pattern.compile("data-(\\d{3,})\\.parquet");

    static LakeLayout of(WriteRequest request) {
        String connection = segment("connection", request.connection(), request);
        String stream = segment("prefix + stream", request.prefix() + request.stream(), request);
        String namespace = request.namespace().isEmpty() ? "" : segment("namespace", request.namespace(), request) + "/";
        String streamPath = namespace + stream + "/";
        LocalDate day = LocalDate.ofInstant(request.extractedAt(), ZoneOffset.UTC);
        String date = day.getYear() + "/" + twoDigits(day.getMonthValue()) + "/" + twoDigits(day.getDayOfMonth()) + "/";
        return new LakeLayout("raw/" + streamPath, "raw/" + streamPath + date, connection + "/" + namespace + stream,
                "_airbyte_internal/state/" + streamPath + "jobs/job-" + request.jobId() + ".json");
    }

    String dataFileKey(int number) {
        String digits = Integer.toString(number);
        return dayPrefix + "data-" + "000".substring(Math.min(3, digits.length())) + digits + ".parquet";
    }

    /** Whether {@code key} is a data file of this stream (any day). */
    boolean isDataFile(String key) {
        return key.startsWith(streamPrefix) && DATA_FILE.matcher(key.substring(streamPrefix.length())).matches();
    }

    /** The number of a data file directly in the day directory, or 0 for any other key. */
    int fileNumberInDay(String key) {
        if (!key.startsWith(dayPrefix)) {
            return 0;
        }
        Matcher m = DATA_FILE_NAME.matcher(key.substring(dayPrefix.length()));
        if (!m.matches()) {
            return 0;
        }
        String digits = m.group(1);
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    /** A name used as one path segment: no separators, no dot names, no control characters. */
    private static String segment(String what, String value, WriteRequest request) {
        boolean bad = value.isEmpty() || value.equals(".") || value.equals("..") || value.indexOf('/') >= 0 || value.indexOf('\\') >= 0
                || value.chars().anyMatch(Character::isISOControl);
        if (bad) {
            throw CaravanException.config("Stream " + request.stream() + " of connection " + request.connection() + " cannot be written: "
                    + what + " '" + value + "' is not a valid directory name. Fix: use a " + what
                    + " without '/', '\\' or control characters that is not '.' or '..'.");
        }
        return value;
    }
}
