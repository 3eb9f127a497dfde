package dev.caravan.sync;

/**
 * Asked before a stream opens its writer: may the route of {@code connection}/{@code stream} write to
 * {@code caravan-parquet:<destination>} with this namespace and prefix? The server admits only the outputs the stream's
 * route declared when its file was loaded, so a route cannot reach another connection's files by a computed endpoint.
 */
@FunctionalInterface
public interface OutputGuard {
    /** Admits every output: for the components used without a server (their own tests). */
    OutputGuard ANY = (connection, stream, destination, namespace, prefix) -> { };

    /** Throws a CONFIG {@link dev.caravan.spi.CaravanException} naming the route's output and the fix when it is not admitted. */
    void check(String connection, String stream, String destination, String namespace, String prefix);
}
