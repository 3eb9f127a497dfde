package dev.caravan.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ConfigProblem;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** No two connections may write the same stream directory of a destination. */
class OutputPathsTest {

    private static ConnectionConfig connection(String name, String destination, String namespace, String prefix, String... streams) {
        return new ConnectionConfig(name, "src", destination, namespace, prefix, true, Schedule.MANUAL,
                Arrays.stream(streams).map(ConfiguredStream::of).toList());
    }

    /** Destinations lake and lake-alias are one directory; every other name is a place of its own. */
    private static final Function<String, String> LOCATIONS = name -> switch (name) {
        case "lake", "lake-alias" -> "file:///data/lake";
        case "unknown" -> null;
        default -> "file:///data/" + name;
    };

    private static List<ConfigProblem> conflicts(List<ConnectionConfig> document, List<ConnectionConfig> applied) {
        return OutputPaths.conflicts(document, applied, LOCATIONS, List.of());
    }

    @Test
    void theRawPathIsNamespaceThenPrefixAndStream() {
        assertThat(OutputPaths.rawPath(connection("a", "lake", "demo", "faker_", "users"), ConfiguredStream.of("users"))).isEqualTo("raw/demo/faker_users");
        assertThat(OutputPaths.rawPath(connection("a", "lake", "a/b", "", "users"), ConfiguredStream.of("users"))).isEqualTo("raw/a/b/users");
        assertThat(OutputPaths.rawPath(connection("a", "lake", "", "", "public.orders"), ConfiguredStream.of("public.orders"))).isEqualTo("raw/public.orders");
    }

    @Test
    void twoConnectionsOfADocumentWritingOneStreamDirectoryAreReportedWithBothNamesThePathAndTheFix() {
        List<ConfigProblem> problems = conflicts(List.of(
                connection("shop-us", "lake", "shop", "", "orders", "users"),
                connection("shop-eu", "lake", "shop", "", "products", "users")), List.of());
        assertThat(problems).containsExactly(new ConfigProblem("connections[1].streams[1].name", "users",
                "connection 'shop-eu' would write stream users to raw/shop/users in destination lake (file:///data/lake), where connection 'shop-us' writes its"
                        + " stream users; they would share file numbering and the publish journal: give 'shop-eu' or 'shop-us' another prefix"
                        + " or namespace"));
    }

    @Test
    void anotherNamespacePrefixOrDestinationSeparatesThem() {
        ConnectionConfig base = connection("a", "lake", "shop", "", "users");
        assertThat(conflicts(List.of(base, connection("b", "lake", "shop2", "", "users")), List.of())).isEmpty();
        assertThat(conflicts(List.of(base, connection("b", "lake", "shop", "eu_", "users")), List.of())).isEmpty();
        assertThat(conflicts(List.of(base, connection("b", "other-lake", "shop", "", "users")), List.of())).isEmpty();
        assertThat(conflicts(List.of(base, connection("b", "lake", "shop", "", "orders")), List.of())).isEmpty();
    }

    @Test
    void twoDestinationNamesForOneDirectoryAreOnePlace() {
        assertThat(conflicts(List.of(connection("a", "lake", "shop", "", "users"), connection("b", "lake-alias", "shop", "", "users")), List.of()))
                .singleElement().satisfies(p -> assertThat(p.fix()).contains("destination lake-alias (file:///data/lake)").contains("'a'"));
    }

    @Test
    void aStreamDirectoryInsideAnotherCollidesBothWays() {
        ConnectionConfig outer = connection("a", "lake", "shop", "", "users");
        ConnectionConfig inner = connection("b", "lake", "shop/users", "", "users");
        assertThat(conflicts(List.of(outer, inner), List.of())).as("a glob over raw/shop/users/** would read b's files")
                .extracting(ConfigProblem::path).containsExactly("connections[1].streams[0].name");
        assertThat(conflicts(List.of(inner, outer), List.of())).extracting(ConfigProblem::path).containsExactly("connections[1].streams[0].name");
        assertThat(conflicts(List.of(outer, connection("b", "lake", "shop", "", "users_eu")), List.of())).as("a name that only starts alike").isEmpty();
    }

    @Test
    void aRouteOfAHandWrittenFileIsAWriterToo() {
        OutputPaths.Writer route = new OutputPaths.Writer("orders.yaml:3 route mine.users", "mine", "users",
                new OutputPaths.Output("lake-alias", "file:///data/lake", "raw/shop/users"));
        List<ConfigProblem> problems = OutputPaths.conflicts(List.of(connection("a", "lake", "shop", "", "users")), List.of(), LOCATIONS, List.of(route));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.fix()).contains("orders.yaml:3 route mine.users (connection 'mine', stream users)"));
        assertThat(OutputPaths.conflicts(List.of(connection("mine", "lake", "shop", "", "users")), List.of(), LOCATIONS, List.of(route)))
                .as("the route's own connection").isEmpty();
    }

    @Test
    void thePrefixAndStreamNameCollideAsTheDirectoryTheyMake() {
        List<ConfigProblem> problems = conflicts(List.of(
                connection("a", "lake", "", "eu_", "users"),
                connection("b", "lake", "", "", "eu_users")), List.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("connections[1].streams[0].name");
            assertThat(p.fix()).contains("raw/eu_users").contains("'a'").contains("'b'");
        });
    }

    @Test
    void everyCollisionIsReportedAtOnce() {
        List<ConfigProblem> problems = conflicts(List.of(
                connection("a", "lake", "", "", "users", "orders"),
                connection("b", "lake", "", "", "users", "orders"),
                connection("c", "lake", "", "", "orders")), List.of());
        assertThat(problems).extracting(ConfigProblem::path)
                .containsExactly("connections[1].streams[0].name", "connections[1].streams[1].name", "connections[2].streams[0].name");
        assertThat(problems.get(2).fix()).as("named after the first writer").contains("where connection 'a' writes its stream orders");
    }

    @Test
    void aNewConnectionIsCheckedAgainstTheAppliedOnes() {
        List<ConnectionConfig> applied = List.of(connection("old", "lake", "shop", "", "users"));
        assertThat(conflicts(List.of(connection("new", "lake", "shop", "", "users")), applied)).singleElement()
                .satisfies(p -> assertThat(p.fix()).contains("connection 'new' would write stream users to raw/shop/users in destination lake (file:///data/lake),"
                        + " where connection 'old' writes"));
    }

    @Test
    void aConnectionReplacingItsAppliedVersionDoesNotCollideWithItself() {
        List<ConnectionConfig> applied = List.of(connection("a", "lake", "shop", "", "users"));
        assertThat(conflicts(List.of(connection("a", "lake", "shop", "", "users", "orders")), applied)).isEmpty();
        // moving a away frees its old place for b in the same document
        assertThat(conflicts(List.of(connection("a", "lake", "moved", "", "users"), connection("b", "lake", "shop", "", "users")),
                applied)).isEmpty();
    }

    @Test
    void aCollisionAppliedBeforeTheRuleIsReportedOnlyWhenOneOfItsConnectionsChangesWhereItWrites() {
        ConnectionConfig a = connection("a", "lake", "shop", "", "users");
        ConnectionConfig b = connection("b", "lake", "shop", "", "users");
        List<ConnectionConfig> applied = List.of(a, b);
        assertThat(conflicts(List.of(a.withEnabled(false)), applied)).as("disabling one of them").isEmpty();
        assertThat(conflicts(List.of(a, b), applied)).as("re-applying both unchanged").isEmpty();
        assertThat(conflicts(List.of(connection("b", "lake", "shop", "", "users", "orders")), applied))
                .as("b adds a stream").extracting(ConfigProblem::path).containsExactly("connections[0].streams[0].name");
        assertThat(conflicts(List.of(connection("b", "lake", "shop", "eu_", "users")), applied)).as("the fix").isEmpty();
    }
}
