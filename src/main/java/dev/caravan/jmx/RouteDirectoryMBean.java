package dev.caravan.jmx;

/** The route directory in JMX ({@code dev.caravan:type=RouteDirectory}): which files run, failed or were refused, and why. */
public interface RouteDirectoryMBean {
    String getDirectory();

    /** {@code file: route ids} of each loaded file. */
    String[] getLoadedFiles();

    /** {@code file: error} of each file that cannot be parsed or started. */
    String[] getFailedFiles();

    /** {@code file: reason} of each file refused for reading or writing what is not its own. */
    String[] getRefusedFiles();
}
