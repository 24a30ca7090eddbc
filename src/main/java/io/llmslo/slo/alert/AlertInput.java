package io.llmslo.slo.alert;

import io.llmslo.slo.WindowCounts;
import java.time.Duration;
import java.util.Map;

/**
 * What an alert decision sees at one evaluation of one (slo, cohort): the counts of every window
 * a tier names, and the fixed-window verdict of the SLO window.
 *
 * @param now the evaluation instant
 * @param windows counts per window length ending at {@code now} (every tier's long and short window)
 * @param status the SLO window's status ({@code ok | breach | insufficient_data})
 * @param pValue the SLO window's p-value (breach test or drift test)
 * @param n valid events in the SLO window
 * @param total C(now): every valid and good event of the series so far, late ones included (a
 *     sequential rule feeds itself the difference to what it has already seen); null if unknown
 */
public record AlertInput(long now, String cohort, Map<Duration, WindowCounts> windows, String status,
        double pValue, long n, WindowCounts total) {

    public AlertInput(long now, String cohort, Map<Duration, WindowCounts> windows, String status, double pValue,
            long n) {
        this(now, cohort, windows, status, pValue, n, null);
    }

    public WindowCounts window(Duration length) {
        WindowCounts c = windows.get(length);
        if (c == null) {
            throw new IllegalArgumentException("window " + length + " was not summed for this evaluation");
        }
        return c;
    }
}
