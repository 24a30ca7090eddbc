package io.llmslo.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test and class with its reason, so no class runs zero tests
 * silently (surefire alone only counts them). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkipReporter implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("[SKIPPED] " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            // an assumption failed, e.g. in @BeforeAll: the class's tests never ran
            System.out.println("[ABORTED] " + name(test) + ": "
                    + result.getThrowable().map(Throwable::getMessage).orElse("no reason given"));
        }
    }

    private static String name(TestIdentifier test) {
        return test.getSource().map(s -> s instanceof MethodSource m ? m.getClassName() + "#" + m.getMethodName()
                : s instanceof ClassSource c ? c.getClassName() : test.getDisplayName())
                .orElse(test.getDisplayName());
    }
}
