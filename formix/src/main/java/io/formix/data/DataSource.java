package io.formix.data;

/** A registered source of answers; {@link #descriptor()} is all of it that may be shown to others. */
public interface DataSource {

    SourceSpec spec();

    Descriptor descriptor();

    default SourceKind kind() {
        return spec().kind();
    }
}
