package io.llmslo.event;

import java.util.List;

/** Whether the gateway failed over to another provider, how long that took, and the path. */
public record Failover(boolean used, Double ms, List<String> providers) {}
