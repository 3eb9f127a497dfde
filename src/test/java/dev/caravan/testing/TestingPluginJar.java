package dev.caravan.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a jar in a test: Java sources compiled with the JDK's compiler against the connector SDK jar the build made
 * ({@code -Dcaravan.sdk.jar}, else {@code target/caravan-sdk.jar}) and any other jars given, plus resource files.
 * How plugin jars (and the libraries they bundle) are made for the plugin loading tests.
 */
public final class TestingPluginJar {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final List<Path> classpath = new ArrayList<>();

    public static Path sdkJar() {
        Path jar = Path.of(System.getProperty("caravan.sdk.jar", "target/caravan-sdk.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build makes it after compiling (mvn process-classes)");
        }
        return jar;
    }

    public TestingPluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    public TestingPluginJar resource(String path, String text) {
        entries.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Compiles against {@code jar} too (a library the plugin uses), without putting it into this jar. */
    public TestingPluginJar compileAgainst(Path jar) {
        classpath.add(jar);
        return this;
    }

    public Path writeTo(Path jar) {
        Map<String, byte[]> all = new LinkedHashMap<>(compile());
        all.putAll(entries);
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Map.Entry<String, byte[]> entry : all.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private Map<String, byte[]> compile() {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        ForwardingJavaFileManager<StandardJavaFileManager> files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new java.io.ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                classes.put(className.replace('.', '/') + ".class", toByteArray());
                            }
                        };
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(URI.create("string:///" + name.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        List<String> path = new ArrayList<>(List.of(sdkJar().toString()));
        classpath.forEach(p -> path.add(p.toString()));
        List<String> options = List.of("--release", "17", "-classpath", String.join(java.io.File.pathSeparator, path));
        boolean ok = compiler.getTask(null, files, diagnostics, options, null, units).call();
        if (!ok) {
            throw new IllegalStateException("test plugin does not compile: " + diagnostics.getDiagnostics());
        }
        return classes;
    }
}
