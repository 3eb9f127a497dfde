package dev.caravan.ui;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web UI's files, from the class path: {@code /} is {@code ui/index.html}, {@code /ui/<file>} the UI's scripts and
 * styles, {@code /webjars/<path>} the WebJars' files (Bootstrap's CSS). Nothing is fetched from elsewhere at run time.
 */
public final class StaticFilesServlet extends HttpServlet {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml", "map", "application/json");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String resource;
        if (path.equals("/") || path.equals("/index.html")) {
            resource = "ui/index.html";
        } else if (path.startsWith("/ui/") || path.startsWith("/webjars/")) {
            resource = path.startsWith("/ui/") ? path.substring(1) : "META-INF/resources" + path;
        } else {
            resource = null;
        }
        if (path.startsWith("/api/")) {
            // under the API's prefix: its request guard answers with the API's JSON error shape
            response.sendError(404);
            return;
        }
        if (resource == null || resource.contains("..") || resource.contains("//")) {
            notFound(response);
            return;
        }
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        try (InputStream in = type == null ? null : StaticFilesServlet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                notFound(response);
                return;
            }
            response.setContentType(type);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", extension.equals("html") ? "no-store" : "no-cache");
            if (extension.equals("html")) {
                response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
                response.setHeader("X-Frame-Options", "DENY");
            }
            in.transferTo(response.getOutputStream());
        }
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(404);
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write("Not found. The web UI is at / ; the API at /api/v1 (see /api/v1/openapi.json).");
    }
}
