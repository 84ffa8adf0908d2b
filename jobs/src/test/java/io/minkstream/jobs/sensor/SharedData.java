package io.minkstream.jobs.sensor;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared folder beside the repository (real recorded data that must not be copied into the repo).
 * Surefire passes it as system property {@code shared.dir}; without it, "../shared" next to the
 * top-most folder with a pom.xml.
 */
final class SharedData {

    private SharedData() {
    }

    static Path folder() {
        String property = System.getProperty("shared.dir");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path root = Path.of("").toAbsolutePath();
        while (root.getParent() != null && Files.isRegularFile(root.getParent().resolve("pom.xml"))) {
            root = root.getParent();
        }
        return root.resolve("../shared").normalize();
    }

    /** The KITTI odometry sample; skips the calling test when it is not there. */
    static Path kittiSample() {
        Path sample = folder().resolve("realdata/kitti-odometry-00-sample");
        Assumptions.assumeTrue(Files.isDirectory(sample.resolve("velodyne")),
                "KITTI sample not found at " + sample + " (set -Dshared.dir to the shared folder)");
        return sample;
    }
}
