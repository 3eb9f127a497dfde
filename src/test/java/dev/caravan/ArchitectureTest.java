package dev.caravan;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the build enforces on the production classes (src/main, components/, state-repo/). A rule that fails
 * names every offending class and dependency.
 */
class ArchitectureTest {
    /** The server's packages: bootstrap, control plane, Camel glue. Connectors and the SPI must not reach them. */
    private static final String[] SERVER = {"dev.caravan.server..", "dev.caravan.service..", "dev.caravan.api..", "dev.caravan.jmx..",
            "dev.caravan.cli..", "dev.caravan.jobs..", "dev.caravan.routes..", "dev.caravan.security..", "dev.caravan.hawtio..",
            "dev.caravan.metrics..", "dev.caravan.config..", "dev.caravan.catalog..", "dev.caravan.state..", "dev.caravan.camel..", "dev.caravan.engine.."};
    private static final String[] CAMEL_JETTY_SERVLET = {"org.apache.camel..", "org.eclipse.jetty..", "jakarta.servlet.."};

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("dev.caravan");
    }

    @Test
    void noPackageCycles() {
        // (**): every package is its own slice, so a cycle between a package and its sub-package counts too
        slices().matching("dev.caravan.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void theSpiIsJdkOnly() {
        classes().that().resideInAPackage("dev.caravan.spi..").should().onlyDependOnClassesThat()
                // javax.net.ssl: the JDK's TLS types, for NetworkSettings (branch http)
                .resideInAnyPackage("java..", "javax.net.ssl..", "dev.caravan.spi..").check(production);
    }

    @Test
    void theSyncContractsUseOnlyTheSpi() {
        classes().that().resideInAPackage("dev.caravan.sync..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.caravan.spi..", "dev.caravan.sync..").check(production);
    }

    @Test
    void theSyncEngineUsesOnlyTheSdkTheSyncContractsAndLogging() {
        classes().that().resideInAPackage("dev.caravan.engine..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.caravan.spi..", "dev.caravan.sync..", "dev.caravan.engine..", "org.slf4j..")
                .check(production);
    }

    @Test
    void connectorsImportNoCamelJettyOrServerClasses() {
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.caravan.source..", "dev.caravan.destination..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(CAMEL_JETTY_SERVLET, SERVER));
        rule.check(production);
    }

    @Test
    void connectorsDependOnlyOnTheSdkAmongCaravanClasses() {
        classes().that().resideInAnyPackage("dev.caravan.source..", "dev.caravan.destination..").should()
                .onlyDependOnClassesThat(describe("are the SDK, connectors or not Caravan's",
                        (JavaClass c) -> !c.getPackageName().startsWith("dev.caravan.") || c.getPackageName().startsWith("dev.caravan.spi")
                                || c.getPackageName().startsWith("dev.caravan.source.") || c.getPackageName().startsWith("dev.caravan.destination.")))
                .check(production);
    }

    @Test
    void restJmxAndCliGoThroughApplicationServicesNeverRepositories() {
        noClasses().that().resideInAnyPackage("dev.caravan.api..", "dev.caravan.jmx..", "dev.caravan.cli..")
                .should().dependOnClassesThat(describe("are repositories or the metadata store's database",
                        (JavaClass c) -> c.getPackageName().equals("dev.caravan.state")
                                && (c.getSimpleName().endsWith("Repository") || c.getSimpleName().equals("StateDatabase"))))
                .check(production);
    }

    @Test
    void onePackagePerCamelComponent() {
        classes().that().areAssignableTo(Component.class).and().areNotInterfaces()
                .should(new ArchCondition<>("be the only Camel component of their package") {
                    @Override
                    public void check(JavaClass component, ConditionEvents events) {
                        List<String> others = componentsIn(component.getPackageName()).stream()
                                .filter(c -> !c.equals(component.getName())).toList();
                        events.add(new SimpleConditionEvent(component, others.isEmpty(), component.getName() + " shares package "
                                + component.getPackageName() + " with " + others + "; give each component its own package"));
                    }
                }).check(production);
        classes().that().areAssignableTo(Endpoint.class).or().areAssignableTo(Consumer.class).or().areAssignableTo(Producer.class)
                .should(new ArchCondition<>("reside in the package of the Camel component they belong to") {
                    @Override
                    public void check(JavaClass part, ConditionEvents events) {
                        boolean ok = !componentsIn(part.getPackageName()).isEmpty();
                        events.add(new SimpleConditionEvent(part, ok, part.getName() + " is an endpoint, consumer or producer outside a "
                                + "component's package; move it to the package of its component"));
                    }
                }).allowEmptyShould(true).check(production);
    }

    private static List<String> componentsIn(String packageName) {
        Map<String, List<String>> byPackage = production.stream()
                .filter(c -> c.isAssignableTo(Component.class) && !c.isInterface())
                .collect(Collectors.groupingBy(JavaClass::getPackageName, Collectors.mapping(JavaClass::getName, Collectors.toList())));
        return byPackage.getOrDefault(packageName, List.of());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
