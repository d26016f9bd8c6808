package io.ferry.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM run from this process's JDK and class path (the broker, a service process). */
final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java} with small-footprint GC/JIT flags, {@code options}, this class path, {@code mainClass} and args. */
    static List<String> command(List<String> options, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(options);
        if (Runtime.version().feature() >= 24) {
            // Kafka's index files are unmapped through sun.misc.Unsafe
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
