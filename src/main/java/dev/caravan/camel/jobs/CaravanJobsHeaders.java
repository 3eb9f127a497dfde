package dev.caravan.camel.jobs;

import org.apache.camel.spi.Metadata;

/** The headers of a {@code caravan-jobs:} exchange. */
public final class CaravanJobsHeaders {
    @Metadata(description = "The job's id", javaType = "long")
    public static final String JOB_ID = "CaravanJobId";
    @Metadata(description = "The job's connection", javaType = "String")
    public static final String CONNECTION = "CaravanConnection";
    @Metadata(description = "How the job ended: succeeded, failed, cancelled or interrupted", javaType = "String")
    public static final String STATUS = "CaravanJobStatus";
    @Metadata(description = "What started the job: scheduled, manual, api, jmx, route:<id>, replay:<job id>…", javaType = "String")
    public static final String TRIGGER = "CaravanJobTrigger";
    @Metadata(description = "Records the job wrote (all attempts)", javaType = "long")
    public static final String RECORDS = "CaravanJobRecords";
    @Metadata(description = "Bytes the job wrote (all attempts)", javaType = "long")
    public static final String BYTES = "CaravanJobBytes";
    @Metadata(description = "When the job started", javaType = "java.time.Instant")
    public static final String STARTED_AT = "CaravanJobStartedAt";
    @Metadata(description = "When the job ended", javaType = "java.time.Instant")
    public static final String ENDED_AT = "CaravanJobEndedAt";
    @Metadata(description = "config, transient or system when the job failed, else absent", javaType = "String")
    public static final String ERROR_TYPE = "CaravanJobErrorType";
    @Metadata(description = "Why the job failed (secrets masked), else absent", javaType = "String")
    public static final String ERROR = "CaravanJobError";

    private CaravanJobsHeaders() {
    }
}
