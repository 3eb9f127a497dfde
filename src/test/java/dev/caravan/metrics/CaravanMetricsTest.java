package dev.caravan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JVM and process metrics are bound where /metrics serves them, and left out of a registry nobody reads. */
class CaravanMetricsTest {

    @Test
    void jvmAndProcessMetricsOnlyWhenAsked() {
        try (CaravanMetrics served = new CaravanMetrics(); CaravanMetrics unserved = new CaravanMetrics(false)) {
            assertThat(served.scrape()).contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_cpu_usage");
            assertThat(unserved.scrape()).doesNotContain("jvm_").doesNotContain("process_");
        }
    }
}
