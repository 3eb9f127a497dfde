package dev.caravan.camel.jobs;

import dev.caravan.state.JobRecord;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/** Sends one exchange per matching ended job into its route (see {@link CaravanJobsEndpoint}). */
public class CaravanJobsConsumer extends DefaultConsumer {

    CaravanJobsConsumer(CaravanJobsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public CaravanJobsEndpoint getEndpoint() {
        return (CaravanJobsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().started(this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().stopped(this);
        super.doStop();
    }

    void jobEnded(JobRecord job) {
        if (!isRunAllowed()) {
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(job);
            message.setHeader(CaravanJobsHeaders.JOB_ID, job.id());
            message.setHeader(CaravanJobsHeaders.CONNECTION, job.connection());
            message.setHeader(CaravanJobsHeaders.STATUS, job.status().name().toLowerCase(Locale.ROOT));
            message.setHeader(CaravanJobsHeaders.TRIGGER, job.trigger());
            message.setHeader(CaravanJobsHeaders.RECORDS, job.records());
            message.setHeader(CaravanJobsHeaders.BYTES, job.bytes());
            message.setHeader(CaravanJobsHeaders.STARTED_AT, job.startedAt());
            message.setHeader(CaravanJobsHeaders.ENDED_AT, job.endedAt());
            if (job.errorType() != null) {
                message.setHeader(CaravanJobsHeaders.ERROR_TYPE, job.errorType().toLowerCase(Locale.ROOT));
            }
            if (job.errorMessage() != null) {
                message.setHeader(CaravanJobsHeaders.ERROR, job.errorMessage());
            }
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Job event route failed for job " + job.id() + " of " + job.connection(),
                        exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }
}
