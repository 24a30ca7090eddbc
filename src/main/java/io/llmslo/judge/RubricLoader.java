package io.llmslo.judge;

import io.llmslo.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code rubrics/*.yaml}: every file is validated in full ({@link RubricValidator}) and a
 * single {@link ConfigException} lists every problem of every file, one per line.
 */
public final class RubricLoader {

    private RubricLoader() {}

    /** The rubric files of a directory ({@code *.yaml}, {@code *.yml}), sorted; or the file itself. */
    public static List<Path> files(Path fileOrDir) {
        if (!Files.isDirectory(fileOrDir)) {
            return List.of(fileOrDir);
        }
        try (Stream<Path> s = Files.list(fileOrDir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException(fileOrDir + ": cannot list rubrics: " + e.getMessage());
        }
    }

    /**
     * Validates every rubric under {@code fileOrDir} and the set as a whole (ids unique); returns
     * the rubrics by id and every problem. A missing path or an empty directory is a problem too.
     */
    public static Loaded validateAll(Path fileOrDir) {
        List<RubricProblem> problems = new ArrayList<>();
        Map<String, Rubric> byId = new LinkedHashMap<>();
        if (!Files.exists(fileOrDir)) {
            problems.add(new RubricProblem(fileOrDir.toString(), 0, "", "no such file or directory"));
            return new Loaded(byId, problems);
        }
        List<Path> files = files(fileOrDir);
        if (files.isEmpty()) {
            problems.add(new RubricProblem(fileOrDir.toString(), 0, "", "holds no rubric (*.yaml) files"));
        }
        for (Path f : files) {
            RubricValidator.Result r = RubricValidator.validate(f);
            problems.addAll(r.problems());
            if (r.valid()) {
                Rubric prev = byId.putIfAbsent(r.rubric().id(), r.rubric());
                if (prev != null) {
                    problems.add(new RubricProblem(f.toString(), 1, "id",
                            "duplicates rubric id '" + r.rubric().id() + "' of " + prev.source()));
                }
            }
        }
        return new Loaded(byId, problems);
    }

    public record Loaded(Map<String, Rubric> rubrics, List<RubricProblem> problems) {}

    /** All rubrics of a directory by id; throws with every problem listed. */
    public static HashMap<String, Rubric> load(Path fileOrDir) {
        Loaded l = validateAll(fileOrDir);
        if (!l.problems().isEmpty()) {
            StringBuilder sb = new StringBuilder("invalid rubrics (" + l.problems().size() + " problems):");
            l.problems().forEach(p -> sb.append('\n').append(p));
            throw new ConfigException(sb.toString());
        }
        return new HashMap<>(l.rubrics());
    }

    /** One rubric file. */
    public static Rubric loadFile(Path file) {
        Map<String, Rubric> all = load(file);
        return all.values().iterator().next();
    }

    /**
     * The rubrics a job needs: those of {@code rubricsDir}, checked to cover every rubric named in
     * {@code rubric_by_surface}, so a typo fails at submit time and not as judge errors at run time.
     */
    public static HashMap<String, Rubric> forJob(Path rubricsDir, Map<String, String> rubricBySurface) {
        HashMap<String, Rubric> all = load(rubricsDir);
        List<String> missing = new ArrayList<>();
        rubricBySurface.forEach((surface, id) -> {
            if (!all.containsKey(id)) {
                missing.add("judge.rubric_by_surface." + surface + " names rubric '" + id + "', not found in "
                        + rubricsDir + " (have " + all.keySet() + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw new ConfigException(String.join("\n", missing));
        }
        return all;
    }
}
