package io.reactivewatch.samples.rwatch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A terminal for {@link Keys} that records what is done to it, in order. */
final class RecordingMode implements Keys.Mode {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String settings;
    private final boolean singleKeysWork;

    /**
     * @param settings       what {@link #save()} returns: {@code null} for stdin that is no terminal
     * @param singleKeysWork whether switching to single keys works
     */
    RecordingMode(String settings, boolean singleKeysWork) {
        this.settings = settings;
        this.singleKeysWork = singleKeysWork;
    }

    @Override
    public String save() {
        calls.add("save");
        return settings;
    }

    @Override
    public boolean singleKeys() {
        calls.add("single keys");
        return singleKeysWork;
    }

    @Override
    public void restore(String saved) {
        calls.add("restore " + saved);
    }
}
