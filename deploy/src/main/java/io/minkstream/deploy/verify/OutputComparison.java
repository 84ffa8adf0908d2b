package io.minkstream.deploy.verify;

import io.minkstream.schemas.SparseFeatureFrame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Counts, for the frames a test produced, what the job under test committed: one output per frame
 * (duplicates, missing) equal to a failure-free reference run's output (mismatched).
 */
public final class OutputComparison {
    private static final int EXAMPLES = 5;

    private OutputComparison() {
    }

    /**
     * @param produced  the frames written to the input topic
     * @param outputs   every committed output record of the job under test, duplicates included
     * @param reference the reference run's output by frame
     * @param inScope   which frames this report covers (e.g. the frames of one phase)
     */
    public static Report compare(Collection<FrameKey> produced, List<SparseFeatureFrame> outputs,
                                 Map<FrameKey, SparseFeatureFrame> reference, Predicate<FrameKey> inScope) {
        Set<FrameKey> expected = new HashSet<>();
        for (FrameKey k : produced) if (inScope.test(k)) expected.add(k);
        Set<FrameKey> seen = new HashSet<>();
        long committed = 0;
        long duplicates = 0;
        long mismatched = 0;
        long unexpected = 0;
        List<String> examples = new ArrayList<>();
        for (SparseFeatureFrame out : outputs) {
            FrameKey k = new FrameKey(out.getSensorId(), out.getSequence());
            if (!inScope.test(k)) continue;
            committed++;
            if (!seen.add(k)) {
                duplicates++;
                example(examples, k + ": duplicate");
            }
            if (!expected.contains(k)) {
                unexpected++;
                example(examples, k + ": output for a frame that was never produced");
            }
            SparseFeatureFrame ref = reference.get(k);
            String diff = ref == null ? "no reference output" : FrameDifference.between(out, ref);
            if (diff != null) {
                mismatched++;
                example(examples, k + ": " + diff);
            }
        }
        long missing = 0;
        for (FrameKey k : expected) {
            if (!seen.contains(k)) {
                missing++;
                example(examples, k + ": missing");
            }
        }
        return new Report(expected.size(), committed, duplicates, missing, mismatched, unexpected, examples);
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < EXAMPLES) examples.add(s);
    }

    /** The counts of one comparison; {@link #counts()} is the form the fault test prints. */
    public record Report(long produced, long committed, long duplicates, long missing, long mismatched, long unexpected,
                         List<String> examples) {

        /** Every produced frame has exactly one output, equal to the reference's. */
        public boolean exactlyOnce() {
            return duplicates == 0 && missing == 0 && mismatched == 0 && unexpected == 0;
        }

        public String counts() {
            return "produced=" + produced + " committed=" + committed + " duplicates=" + duplicates
                    + " missing=" + missing + " mismatched=" + mismatched;
        }
    }
}
