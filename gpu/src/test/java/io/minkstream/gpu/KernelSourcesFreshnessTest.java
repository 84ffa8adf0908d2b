package io.minkstream.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.minkstream.gpu.device.Kernel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX/fatbin must come from the current CUDA sources. Machines without nvcc cannot
 * regenerate them, so {@code kernels/SOURCES.sha256} (written by {@code kernels.sh update})
 * records the hash of every source they were generated from and of every generated file; this
 * test fails when a source changed since. (Where nvcc exists, the Maven profile {@code nvcc}
 * regenerates the kernels and compares the bytes.)
 */
class KernelSourcesFreshnessTest {
    private static final String REGENERATE = "regenerate them with gpu/src/main/cuda/kernels.sh update (needs nvcc 13.0, "
            + "e.g. /usr/local/cuda/bin/nvcc) and commit gpu/src/main/resources/kernels";

    private static Path sources() {
        return Paths.get(System.getProperty("cuda.sources.dir", "src/main/cuda"));
    }

    private static Map<String, String> recorded() throws IOException {
        try (InputStream in = KernelSourcesFreshnessTest.class.getResourceAsStream("/kernels/SOURCES.sha256")) {
            assertNotNull(in, "kernels/SOURCES.sha256 is missing from the classpath: " + REGENERATE);
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split("\\s+", 2);
                m.put(parts[1], parts[0]);
            }
            return m;
        }
    }

    @Test
    void committedKernelsWereGeneratedFromTheCurrentSources() throws IOException {
        Map<String, String> recorded = recorded();
        List<String> stale = new ArrayList<>();
        TreeSet<String> current = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".h")).toList()) {
                String key = "cuda/" + f.getFileName();
                current.add(key);
                String want = recorded.get(key);
                if (want == null) {
                    stale.add(key + " is new");
                } else if (!want.equals(sha256(Files.readAllBytes(f)))) {
                    stale.add(key + " changed");
                }
            }
        }
        for (String key : recorded.keySet()) {
            if (key.startsWith("cuda/") && !current.contains(key)) stale.add(key + " was removed");
        }
        if (!stale.isEmpty()) {
            fail("the committed PTX/fatbin are older than the CUDA sources (" + String.join(", ", stale) + "): " + REGENERATE);
        }
    }

    @Test
    void committedKernelsAreTheRecordedOnes() throws IOException {
        Map<String, String> recorded = recorded();
        for (Kernel.Module module : Kernel.Module.values()) {
            for (String ext : new String[] {".ptx", ".fatbin"}) {
                String key = "kernels/" + module.fileName() + ext;
                try (InputStream in = getClass().getResourceAsStream("/" + key)) {
                    assertNotNull(in, key + " is missing: " + REGENERATE);
                    assertEquals(recorded.get(key), sha256(in.readAllBytes()), key + " is not the file SOURCES.sha256 records: " + REGENERATE);
                }
            }
        }
    }

    @Test
    void ptxTargetsCompute80WithIsa9() throws IOException {
        for (Kernel.Module module : Kernel.Module.values()) {
            try (InputStream in = getClass().getResourceAsStream("/kernels/" + module.fileName() + ".ptx")) {
                String ptx = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(ptx.contains(".target sm_80"), module + ": PTX should target sm_80 (compute_80)");
                assertTrue(ptx.contains(".version 9.0"), module + ": PTX ISA 9.0 (nvcc 13) is what the README's driver requirement assumes");
                for (Kernel k : Kernel.values()) {
                    if (k.module() == module) assertTrue(ptx.contains(".entry " + k.symbol() + "("), module + " PTX lacks kernel " + k.symbol());
                }
            }
        }
    }

    /** Every extern "C" kernel in the sources is declared in {@link Kernel} (with its module), and vice versa. */
    @Test
    void kernelEnumMatchesTheSources() throws IOException {
        Pattern kernel = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(");
        TreeSet<String> inSources = new TreeSet<>();
        for (Kernel.Module module : Kernel.Module.values()) {
            String src = Files.readString(sources().resolve(module.fileName() + ".cu"));
            Matcher m = kernel.matcher(src);
            while (m.find()) inSources.add(module.fileName() + "/" + m.group(1));
        }
        TreeSet<String> declared = new TreeSet<>();
        Arrays.stream(Kernel.values()).forEach(k -> declared.add(k.module().fileName() + "/" + k.symbol()));
        assertEquals(inSources, declared);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
