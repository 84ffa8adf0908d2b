package io.minkstream.jobs.sensor;

import java.nio.file.Path;

/** A recorded scan file (or folder) does not have the layout its format requires; names the file. */
public final class ScanFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ScanFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ScanFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file or folder. */
    public Path file() {
        return file;
    }
}
