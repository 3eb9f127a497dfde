package dev.caravan.server;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import dev.caravan.routes.RouteGenerator;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/** Reads the Quartz triggers of the generated schedule routes ({@code quartz:caravan/<connection>}). */
public final class Schedules {
    static final String GROUP = "caravan";
    private final CamelContext context;

    public Schedules(CamelContext context) {
        this.context = context;
    }

    /** When the connection's schedule fires next; empty for manual or disabled connections. */
    public Optional<Instant> nextFireTime(String connection) {
        if (context.hasComponent("quartz") == null
                || context.getRouteController().getRouteStatus(RouteGenerator.scheduleRouteId(connection)) != ServiceStatus.Started) {
            return Optional.empty();
        }
        try {
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            if (quartz.getScheduler() == null) {
                return Optional.empty();
            }
            Trigger trigger = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(connection, GROUP));
            Date next = trigger == null ? null : trigger.getNextFireTime();
            return Optional.ofNullable(next).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }
}
