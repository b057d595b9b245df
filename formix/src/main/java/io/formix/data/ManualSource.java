package io.formix.data;

import java.util.List;

/** A source whose owner answers by hand (later, {@code formix comp answer}); Formix reads nothing. */
public final class ManualSource implements DataSource {

    private final SourceSpec spec;

    ManualSource(SourceSpec spec) {
        this.spec = spec;
    }

    public static SourceSpec define(String name) {
        return new SourceSpec(name, SourceKind.MANUAL, null, null, List.of(), null, null, 0, List.of());
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public Descriptor descriptor() {
        return spec.descriptor();
    }
}
