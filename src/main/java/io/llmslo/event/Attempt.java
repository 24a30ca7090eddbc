package io.llmslo.event;

/** One provider attempt within a request; feeds {@code availability.provider_success}. */
public record Attempt(String provider, String outcome, Double ms) {

    public boolean success() {
        return "success".equalsIgnoreCase(outcome);
    }
}
