package io.minkstream.jobs.cli;

/**
 * A command-line value that cannot be used. The message starts with the option's name, e.g.
 * {@code --voxel-size: expected 1 or 3 positive numbers, got "0.2,x"}; the CLI prints it and exits
 * with status 2 before anything is started.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;

    public InvalidOptionException(String option, String problem) {
        super(option + ": " + problem);
        this.option = option;
    }

    /** The option's long name, e.g. {@code --voxel-size}. */
    public String option() {
        return option;
    }
}
