package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the files of one stream and job go:
 * <pre>
 * raw/{namespace}/{prefix}{stream}/YYYY/MM/DD/data-NNN.parquet              data (date of extraction, UTC)
 * raw/{namespace}/{prefix}{stream}/generation=G/YYYY/MM/DD/data-NNN.parquet full_refresh_overwrite: one directory per generation
 * snapshot/{namespace}/{prefix}{stream}/part-{job}-NNN.parquet             latest row per key (deduped mode)
 * _airbyte_internal/state/{namespace}/{prefix}{stream}/jobs/job-{id}.json  manifest of each committed job
 * _airbyte_internal/state/{namespace}/{prefix}{stream}/snapshot.json       the snapshot's files (its commit point)
 * _airbyte_internal/state/{namespace}/{prefix}{stream}/publishing.json     files being published (crash recovery)
 * _airbyte_internal/state/{namespace}/{prefix}{stream}/current.json        the current overwrite generation (its commit point)
 * </pre>
 * An empty namespace drops its segment. NNN has at least three digits and continues after the highest
 * number in the day directory. Files of a stream are recognised by their exact shape below the stream
 * directory, so a stream never claims the files of another stream whose directory is nested in its own.
 */
record LakeLayout(String streamPrefix, String dayPrefix, String scopeName, String stateDirectory, String snapshotPrefix, long jobId,
                  long generation) {
    /** {@link #generation} of a stream whose files are not kept per generation (every mode but overwrite). */
    static final long NO_GENERATION = -1;
    static final String GENERATION_DIRECTORY = "generation=";
    private static final Pattern DATA_FILE = Pattern.compile("(?:generation=(?<generation>\\d{1,18})/)?(?<day>\\d{4}/\\d{2}/\\d{2})/data-(?<number>\\d{3,})\\.parquet");
    private static final Pattern DATA_FILE_NAME = Pattern.compile("data-(\\d{3,})\\.parquet");
    private static final Pattern SNAPSHOT_PART = Pattern.compile("part-\\d+-\\d{3,}\\.parquet");

    static LakeLayout of(WriteRequest request) {
        String connection = segment("connection", request.connection(), request);
        String stream = segment("prefix + stream", request.prefix() + request.stream(), request);
        // a namespace may nest (a/b): each of its segments must be a valid directory name
        StringBuilder namespace = new StringBuilder();
        if (!request.namespace().isEmpty()) {
            for (String part : request.namespace().split("/", -1)) {
                namespace.append(segment("namespace segment", part, request)).append('/');
            }
        }
        String streamPath = namespace + stream + "/";
        LocalDate day = LocalDate.ofInstant(request.extractedAt(), ZoneOffset.UTC);
        String date = day.getYear() + "/" + twoDigits(day.getMonthValue()) + "/" + twoDigits(day.getDayOfMonth()) + "/";
        long generation = request.syncMode() == SyncMode.FULL_REFRESH_OVERWRITE && !request.replayOfCommittedRows()
                ? Math.max(0, request.generationId()) : NO_GENERATION;
        String dataPrefix = "raw/" + streamPath + (generation == NO_GENERATION ? "" : GENERATION_DIRECTORY + generation + "/");
        return new LakeLayout("raw/" + streamPath, dataPrefix + date, connection + "/" + namespace + stream,
                "_airbyte_internal/state/" + streamPath, "snapshot/" + streamPath, request.jobId(), generation);
    }

    /** The layout of the stream whose raw directory is {@code streamPrefix}, for finding its files (no job, no day). */
    static LakeLayout ofStream(String streamPrefix, String stateDirectory) {
        return new LakeLayout(streamPrefix, streamPrefix, streamPrefix, stateDirectory, streamPrefix, -1, NO_GENERATION);
    }

    /** The directory of the data files of {@code generation}: {@code raw/.../generation=G/}. */
    String generationPrefix(long generation) {
        return streamPrefix + GENERATION_DIRECTORY + generation + "/";
    }

    /** The generation directory a data file of this stream is in, or {@link #NO_GENERATION} for a file outside one. */
    long generationOf(String dataFileKey) {
        String g = dataFile(dataFileKey).group("generation");
        return g == null ? NO_GENERATION : Long.parseLong(g);
    }

    String currentPointerKey() {
        return stateDirectory + "current.json";
    }

    /** The scope of this stream's staged files: data files and snapshot parts. */
    StagingScope stagingScope() {
        return new StagingScope(scopeName, List.of(streamPrefix, snapshotPrefix), key -> isDataFile(key) || isSnapshotPart(key));
    }

    String manifestKey() {
        return manifestsPrefix() + "job-" + jobId + ".json";
    }

    /** Where the manifests of every job of the stream are. */
    String manifestsPrefix() {
        return stateDirectory + "jobs/";
    }

    /** The job id of a manifest key, or -1 for another key. */
    static long manifestJobId(String key) {
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        if (!name.startsWith("job-") || !name.endsWith(".json")) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(4, name.length() - 5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String journalKey() {
        return stateDirectory + "publishing.json";
    }

    String snapshotPointerKey() {
        return stateDirectory + "snapshot.json";
    }

    String dataFileKey(int number) {
        return dayPrefix + "data-" + threeDigits(number) + ".parquet";
    }

    String snapshotPartKey(int number) {
        return snapshotPrefix + "part-" + jobId + "-" + threeDigits(number) + ".parquet";
    }

    /** Whether {@code key} is a data file of this stream (any day, any generation or none). */
    boolean isDataFile(String key) {
        return key.startsWith(streamPrefix) && DATA_FILE.matcher(key.substring(streamPrefix.length())).matches();
    }

    /** Whether {@code key} is a snapshot part of this stream (any job). */
    boolean isSnapshotPart(String key) {
        return key.startsWith(snapshotPrefix) && SNAPSHOT_PART.matcher(key.substring(snapshotPrefix.length())).matches();
    }

    /** The number of a data file directly in the day directory, or 0 for any other key. */
    int fileNumberInDay(String key) {
        if (!key.startsWith(dayPrefix)) {
            return 0;
        }
        Matcher m = DATA_FILE_NAME.matcher(key.substring(dayPrefix.length()));
        return m.matches() ? number(m.group(1)) : 0;
    }

    /** Orders data files of this stream as they were published: by day, then by number (data-1000 after data-999). */
    Comparator<String> publicationOrder() {
        return Comparator.comparing((String key) -> dataFile(key).group("day")).thenComparingInt(key -> number(dataFile(key).group("number")));
    }

    private Matcher dataFile(String key) {
        Matcher m = DATA_FILE.matcher(key.startsWith(streamPrefix) ? key.substring(streamPrefix.length()) : key);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " is not a data file of " + streamPrefix);
        }
        return m;
    }

    private static int number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(significant);
    }

    private static String threeDigits(int number) {
        String digits = Integer.toString(number);
        return "000".substring(Math.min(3, digits.length())) + digits;
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
