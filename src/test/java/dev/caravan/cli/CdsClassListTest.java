package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The list of classes the launcher's archive holds whichever run wrote it (LauncherIT checks the archive itself). */
class CdsClassListTest {
    private static final ClassLoader LOADER = CdsClassListTest.class.getClassLoader();

    @Test
    void theListHoldsTheS3ClientAndBothJdbcDrivers() {
        assertThat(CdsClassList.names(LOADER)).hasSizeGreaterThan(5_000).doesNotHaveDuplicates()
                .contains("software.amazon.awssdk.services.s3.DefaultS3Client", "org.postgresql.Driver", "org.mariadb.jdbc.Driver",
                        "dev.caravan.destination.s3.S3StagedFile", "dev.caravan.source.jdbc.JdbcStreamReader")
                .allMatch(name -> !name.startsWith("#") && !name.isBlank() && !name.contains("/"));
    }

    /** The JDK's own classes differ between JDKs (they are skipped where missing); those of the jar must all be there. */
    @Test
    void everyListedClassOfTheJarLoads() {
        List<String> ours = CdsClassList.names(LOADER).stream().filter(name -> !isJdk(name)).toList();
        assertThat(ours).hasSizeGreaterThan(3_000);
        assertThat(CdsClassList.load(ours, LOADER)).as("classes that no longer exist: regenerate the list with bench/cds-classes.sh")
                .isEqualTo(ours.size());
    }

    @Test
    void namesThatDoNotLoadAreSkipped() {
        assertThat(CdsClassList.load(List.of("dev.caravan.cli.NoSuchClass", "dev.caravan.cli.CaravanCli", "not a class name"), LOADER)).isEqualTo(1);
    }

    private static boolean isJdk(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("com.sun.") || name.startsWith("org.w3c.") || name.startsWith("org.xml.") || name.startsWith("org.ietf.");
    }
}
