package io.llmslo.slo;

import java.io.Serializable;
import java.time.Duration;

/**
 * One multi-window burn-rate alert tier: fires when the burn over the long window and over the
 * short window (if any) both exceed {@code burn}, and the long window is significant.
 */
public record BurnTier(String severity, Duration longWindow, Duration shortWindow, double burn)
        implements Serializable {}
