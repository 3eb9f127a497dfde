package dev.caravan.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classes the launcher's class-data-sharing archive holds besides those its writing run loaded: the JDBC drivers,
 * the S3 client and what the one-shot syncs of the built-in connectors load ({@value #RESOURCE}, one binary class name
 * per line, written by {@code bench/cds-classes.sh}). Without them, the archive would hold only what the first run of a
 * build happened to use: a first run into a local folder would leave every later S3 sync loading the AWS SDK's ~2,000
 * classes from the jar (~450 ms before its first row here).
 *
 * <p>The run writing the archive loads them on a background thread of low priority (not initialized: no code of theirs
 * runs), and a run that ends by itself (a one-shot run) waits for it before it exits: the JVM links and archives the
 * classes loaded when the exit begins (the classes loaded by shutdown hooks come too late). A name that does not load
 * (another JDK, a changed dependency) is skipped.
 */
final class CdsClassList {
    static final String RESOURCE = "META-INF/caravan/cds-classes.txt";
    /** Set by the launcher on the child that writes the archive. */
    static final String WRITING_PROPERTY = "caravan.launcher.cds-writing";

    private CdsClassList() {
    }

    /** When this JVM writes the archive: the thread loading the listed classes (started), else null. */
    static Thread loadIfWriting() {
        if (!Boolean.getBoolean(WRITING_PROPERTY)) {
            return null;
        }
        ClassLoader loader = CdsClassList.class.getClassLoader();
        Thread thread = new Thread(() -> load(names(loader), loader), "caravan-cds-classes");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /** Loads each class without initializing it; returns how many loaded. */
    static int load(List<String> names, ClassLoader loader) {
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // not on this JDK or classpath: nothing to archive
            }
        }
        return loaded;
    }

    static List<String> names(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return names;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            // an archive of what the run loaded is still an archive
        }
        return names;
    }
}
