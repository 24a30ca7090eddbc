package io.llmslo.judge.offline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lexical half of the offline judge's features: plain string work, no model. What the rubrics
 * ask and an embedding cannot see: whether the answer covers the words of the question, whether it
 * is a refusal or a non-answer, and, when the prompt carries a retrieved {@code CONTEXT:} block,
 * how much of the answer (content words, numbers) appears nowhere in the prompt — a claim absent
 * from the context is unsupported (groundedness rubric). Without a context block the two
 * novelty features are {@code NaN} ("not measurable"), not 0: the regression then imputes the
 * anchors' mean, so a question-only RAG prompt is judged on relevance, coverage and hedging alone.
 */
public final class TextFeatures {

    private TextFeatures() {}

    /** The prompt split into its retrieved context (if any) and the question. */
    public record Parts(boolean hasContext, String question) {}

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9'.\\-]*[a-z0-9]|[a-z0-9]");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    /**
     * Refusal and non-answer markers, written as a generic list (not tuned to the anchors); some
     * phrases also occur in the simulator's evasive texts, which the synthetic held-out set uses.
     */
    private static final Pattern HEDGE = Pattern.compile("\\b(i can'?t|i cannot|i'm not able|i am not able|unable to"
            + "|not able to|i'm sorry|sorry|consult|it depends|depends on|many ways|several ways|not sure|as an ai"
            + "|there are many)\\b", Pattern.CASE_INSENSITIVE);
    private static final Set<String> STOP = Set.of(("a an the and or but if then so of to in on at by for with from as is"
            + " are was were be been being it its this that these those i you he she we they me my your our their them us"
            + " do does did done have has had having can could will would shall should may might must not no yes what which"
            + " who whom how why when where there here all any some more most other such than too very just also only about"
            + " into over under again further once own same s t don now up down out off get got let one two please help need"
            + " want like make use using used").split(" "));
    private static final String[] SUFFIXES = {"ing", "ed", "es", "s", "ly"};

    /** Names of {@link #of}'s values, in order. */
    public static final List<String> NAMES = List.of("question_coverage", "hedges", "log_length", "novel_words",
            "novel_numbers");

    /**
     * A context block is {@code CONTEXT:} followed, later, by {@code QUESTION:} (the groundedness
     * rubric's layout); the question is what follows the first {@code QUESTION:} after the first
     * {@code CONTEXT:}. Plain index searches: linear on any input, however hostile.
     */
    public static Parts parts(String prompt) {
        String p = prompt == null ? "" : prompt;
        int c = p.indexOf("CONTEXT:");
        int q = c < 0 ? -1 : p.indexOf("QUESTION:", c + "CONTEXT:".length());
        return q >= 0 ? new Parts(true, p.substring(q + "QUESTION:".length()).strip()) : new Parts(false, p.strip());
    }

    /**
     * {coverage of the question's content words, hedge count, log(1 + length), share of the
     * answer's content words absent from the prompt, count of its numbers absent from the prompt};
     * the last two {@code NaN} without a context block.
     */
    public static double[] of(String prompt, String response) {
        String p = prompt == null ? "" : prompt;
        String r = response == null ? "" : response;
        Parts parts = parts(p);
        Set<String> promptWords = new HashSet<>(stems(content(p)));
        List<String> answerWords = stems(content(r));
        Set<String> answerSet = new HashSet<>(answerWords);
        Set<String> questionWords = new HashSet<>(stems(content(parts.question())));
        double coverage = share(questionWords, answerSet::contains);
        double hedges = count(HEDGE.matcher(r));
        double logLength = Math.log1p(r.codePointCount(0, r.length()));
        double novelWords = Double.NaN;
        double novelNumbers = Double.NaN;
        if (parts.hasContext()) {
            novelWords = share(answerWords, w -> !promptWords.contains(w));
            Set<String> promptNumbers = new HashSet<>(numbers(p));
            novelNumbers = numbers(r).stream().filter(x -> !promptNumbers.contains(x)).count();
        }
        return new double[] {coverage, hedges, logLength, novelWords, novelNumbers};
    }

    static List<String> tokens(String s) {
        Matcher m = TOKEN.matcher(s.toLowerCase(Locale.ROOT).replace('€', ' ').replace('$', ' '));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Tokens that carry meaning: not a stop word, and longer than two letters or holding a digit. */
    static List<String> content(String s) {
        List<String> out = new ArrayList<>();
        for (String w : tokens(s)) {
            if (!STOP.contains(w) && (w.length() > 2 || w.chars().anyMatch(Character::isDigit))) {
                out.add(w);
            }
        }
        return out;
    }

    /** A crude suffix stripper ("bookings" and "booked" meet at "book"); enough for overlap counts. */
    static String stem(String w) {
        for (String suf : SUFFIXES) {
            if (w.length() > suf.length() + 3 && w.endsWith(suf)) {
                return w.substring(0, w.length() - suf.length());
            }
        }
        return w;
    }

    static List<String> stems(List<String> words) {
        return words.stream().map(TextFeatures::stem).toList();
    }

    static List<String> numbers(String s) {
        Matcher m = NUMBER.matcher(s);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static double share(java.util.Collection<String> xs, java.util.function.Predicate<String> p) {
        if (xs.isEmpty()) {
            return 0;
        }
        return xs.stream().filter(p).count() / (double) xs.size();
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
