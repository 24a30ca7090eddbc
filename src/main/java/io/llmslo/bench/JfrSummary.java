package io.llmslo.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** The top frames of a JFR recording's execution samples: where the CPU time went. */
public final class JfrSummary {

    private JfrSummary() {}

    static List<String> topFrames(Path recording, int limit) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> project = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            total++;
            self.merge(name(st.getFrames().get(0)), 1, Integer::sum);
            boolean innermost = true;
            java.util.Set<String> classes = new java.util.HashSet<>();
            for (RecordedFrame f : st.getFrames()) {
                String type = f.getMethod().getType().getName();
                if (f.isJavaFrame() && type.startsWith("io.llmslo.")) {
                    if (innermost) {
                        project.merge(name(f), 1, Integer::sum);
                        innermost = false;
                    }
                    classes.add(type.replaceAll("\\$.*", ""));
                }
            }
            classes.forEach(c -> inclusive.merge(c, 1, Integer::sum));
        }
        int n = total;
        List<String> lines = new java.util.ArrayList<>();
        lines.add(n + " samples; self:");
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(en -> lines.add(String.format("  %5.1f %%  %s", 100.0 * en.getValue() / n, en.getKey())));
        lines.add("innermost llm-slo frame:");
        project.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(en -> lines.add(String.format("  %5.1f %%  %s", 100.0 * en.getValue() / n, en.getKey())));
        lines.add("inclusive, by llm-slo class on the stack:");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(en -> lines.add(String.format("  %5.1f %%  %s", 100.0 * en.getValue() / n, en.getKey())));
        return lines;
    }

    /** {@code JfrSummary <recording.jfr> [limit]}: the summary of an existing recording. */
    public static void main(String[] args) throws IOException {
        topFrames(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15).forEach(System.out::println);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
