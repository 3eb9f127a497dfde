package dev.caravan.routes;

import java.util.List;
import java.util.Map;

/**
 * Decides whether the routes of a file may run, from what they claim ({@link RouteClaim}) and what the other loaded files
 * claim. A refused file is not started; its previous version (if any) keeps running, and the directory reports it as
 * {@link RouteFileStatus.State#REFUSED} with the reasons.
 */
@FunctionalInterface
public interface RouteAdmission {

    /**
     * The reasons to refuse {@code claims} (the routes of one file), each naming the route, its file and line, and what
     * it conflicts with; empty to admit them. {@code others}: the claims of every other loaded file, by file name.
     */
    List<String> refusals(List<RouteClaim> claims, Map<String, List<RouteClaim>> others);
}
