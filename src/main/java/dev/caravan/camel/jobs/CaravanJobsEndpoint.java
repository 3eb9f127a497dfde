package dev.caravan.camel.jobs;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One exchange per job that ended (succeeded, failed, cancelled or interrupted), after its history row is written: the
 * body is the {@link JobRecord}, the headers ({@link CaravanJobsHeaders}) its id, connection, status and totals. The
 * route runs on the job's thread once the job is over: it cannot change the job's outcome, and a failure of the route
 * is handled by the route's error handler (logged by default). Hand slow work to {@code seda:}.
 */
@UriEndpoint(scheme = CaravanJobsComponent.SCHEME, title = "Caravan job events", syntax = "caravan-jobs:connection", consumerOnly = true,
        category = Category.MONITORING, headersClass = CaravanJobsHeaders.class)
public class CaravanJobsEndpoint extends DefaultEndpoint {
    /** The path that selects the jobs of every connection. */
    public static final String ALL = "*";
    private static final Set<JobStatus> ENDED = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.INTERRUPTED);

    @UriPath(description = "The connection whose jobs to receive, or * for every connection")
    @Metadata(required = true)
    private final String connection;
    @UriParam(description = "Only jobs that ended with one of these statuses (comma separated: succeeded, failed, cancelled,"
            + " interrupted); empty for all")
    private String statuses;
    private Set<JobStatus> wanted = ENDED;

    CaravanJobsEndpoint(String uri, CaravanJobsComponent component, String connection) {
        super(uri, component);
        this.connection = connection;
    }

    void validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (connection == null || connection.isBlank()) {
            problems.add(new ConfigProblem(getEndpointUri() + " connection", connection,
                    "name a connection (caravan-jobs:<connection>) or use caravan-jobs:* for every connection"));
        }
        if (statuses != null && !statuses.isBlank()) {
            Set<JobStatus> parsedAll = EnumSet.noneOf(JobStatus.class);
            for (String name : statuses.split(",")) {
                String trimmed = name.trim().toUpperCase(Locale.ROOT);
                JobStatus parsed = Arrays.stream(JobStatus.values()).filter(s -> s.name().equals(trimmed)).findFirst().orElse(null);
                if (parsed == null || !ENDED.contains(parsed)) {
                    problems.add(new ConfigProblem(getEndpointUri() + " statuses", name.trim(),
                            "use succeeded, failed, cancelled or interrupted (comma separated), or leave statuses out for all"));
                } else {
                    parsedAll.add(parsed);
                }
            }
            wanted = parsedAll;
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    boolean matches(JobRecord job) {
        return (ALL.equals(connection) || connection.equals(job.connection())) && wanted.contains(job.status());
    }

    public String getConnection() {
        return connection;
    }

    public String getStatuses() {
        return statuses;
    }

    public void setStatuses(String statuses) {
        this.statuses = statuses;
    }

    @Override
    public CaravanJobsComponent getComponent() {
        return (CaravanJobsComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " can only start a route (from:)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CaravanJobsConsumer consumer = new CaravanJobsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return false;
    }
}
