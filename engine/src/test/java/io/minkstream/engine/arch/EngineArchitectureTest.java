package io.minkstream.engine.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine is pure Java: no source under {@code src/main/java} may import (or name by its fully
 * qualified name) Flink, Kafka, Avro or the minkstream modules built on top of the engine. Maven
 * runs tests in the module directory, so the path is relative to {@code engine/}.
 */
class EngineArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final List<String> FORBIDDEN = List.of(
            "org.apache.flink", "org.apache.kafka", "org.apache.avro",
            "io.minkstream.operators", "io.minkstream.jobs", "io.minkstream.schemas", "io.minkstream.gpu");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;", Pattern.MULTILINE);

    @Test
    void engineSourcesDependOnNoStreamingOrGpuPackage() throws IOException {
        assertThat(SOURCES).as("engine main sources (tests run in the engine module directory)").isDirectory();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(files).as("engine sources found").hasSizeGreaterThan(20);
        assertThat(files).anyMatch(p -> p.endsWith(Path.of("io/minkstream/engine/ops/Convolution.java")));
        List<String> violations = new ArrayList<>();
        for (Path f : files) violations.addAll(violations(SOURCES.relativize(f).toString(), read(f)));
        assertThat(violations).as("forbidden dependencies in engine/src/main/java").isEmpty();
    }

    @Test
    void theScannerSeesImportsStaticImportsAndQualifiedNames() {
        String source = """
                package io.minkstream.engine.x;
                import java.util.List;
                import org.apache.flink.api.common.functions.MapFunction;
                import static org.apache.kafka.common.utils.Utils.closeQuietly;
                import io.minkstream.schemas.*;
                /** Mentions org.apache.avro in a comment, which is fine. */
                class X { Object o = new io.minkstream.gpu.CudaBackend(); // org.apache.kafka here is a comment
                  String s = "org.apache.flink in a string is fine"; }
                """;
        assertThat(violations("X.java", source)).containsExactly(
                "X.java imports org.apache.flink.api.common.functions.MapFunction",
                "X.java imports org.apache.kafka.common.utils.Utils.closeQuietly",
                "X.java imports io.minkstream.schemas.*",
                "X.java names io.minkstream.gpu");
        assertThat(violations("Y.java", "package io.minkstream.engine.y;\nimport io.minkstream.engine.coords.KernelMap;\nimport java.util.Map;\n")).isEmpty();
    }

    static List<String> violations(String name, String source) {
        List<String> out = new ArrayList<>();
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            if (forbidden(m.group(1))) out.add(name + " imports " + m.group(1));
        }
        String code = stripCommentsAndStrings(IMPORT.matcher(source).replaceAll(""));
        for (String p : FORBIDDEN) {
            if (Pattern.compile("(?<![\\w.])" + Pattern.quote(p) + "\\.").matcher(code).find()) out.add(name + " names " + p);
        }
        return out;
    }

    private static boolean forbidden(String imported) {
        for (String p : FORBIDDEN) if (imported.equals(p) || imported.startsWith(p + ".")) return true;
        return false;
    }

    /** Blanks out comments, string and char literals (text blocks included), keeping the code. */
    private static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char q = s.charAt(i++);
                while (i < s.length() && s.charAt(i) != q) i += s.charAt(i) == '\\' ? 2 : 1;
                i++;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
