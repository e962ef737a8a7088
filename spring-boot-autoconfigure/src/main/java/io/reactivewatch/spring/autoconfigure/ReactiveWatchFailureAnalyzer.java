package io.reactivewatch.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an unusable watcher setting by its property, in the form of Spring Boot's binding failures. */
final class ReactiveWatchFailureAnalyzer extends AbstractFailureAnalyzer<WatcherConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WatcherConfigurationException cause) {
        StringBuilder description = new StringBuilder("A reactive-watch watcher is not configured correctly:\n\n")
                .append("    Property: ").append(cause.property()).append('\n');
        if (cause.value() != null) {
            description.append("    Value: \"").append(cause.value()).append("\"\n");
        }
        description.append("    Reason: ").append(cause.reason()).append('\n');
        return new FailureAnalysis(description.toString(), cause.action(), cause);
    }
}
