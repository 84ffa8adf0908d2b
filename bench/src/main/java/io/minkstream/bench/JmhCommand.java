package io.minkstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code jmh [JMH options]}: runs the JMH benchmarks in this jar ({@code io.minkstream.bench.jmh})
 * through {@code org.openjdk.jmh.Main}, with every argument passed on unchanged, e.g.
 * {@code jmh EngineBenchmark -p threads=1 -p caseDir=DIR}. Forks get the Vector API module from
 * the benchmarks' {@code @Fork} annotation.
 */
@Command(name = "jmh", description = "Run the JMH benchmarks; all arguments go to org.openjdk.jmh.Main (try: jmh -h).")
public final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
        return 0;
    }
}
