package io.llmslo.sim;

/** A scenario that cannot be loaded; the message names the file, the key and what was expected. */
public class ScenarioException extends io.llmslo.config.ConfigException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
