package io.formix.service;

import io.formix.state.FormixHome;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.file.ChannelLayout;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The home's channel layout, set by {@code formix init --layout syftbox --datasites DIR --email E}
 * and kept in {@code $FORMIX_HOME/layout.properties} ({@code layout}, {@code datasites},
 * {@code email}, and optionally {@code email.<uid>=<email>} for nodes of other hosts). Without that
 * file, or with {@code layout=default}, the file transport uses the default layout under the data
 * dir. In the SyftBox layout every node of this home writes in the home's datasite, and a node
 * whose uid has no {@code email.<uid>} line is taken to be this home's too (docs/syftbox.md).
 */
record SyftBoxConfig(Path datasites, String email, Map<String, String> nodeEmails) {

    static final String FILE = "layout.properties";

    /** Writes the home's layout: the SyftBox one, or (both null) the default one. */
    static void write(FormixHome home, Path datasites, String email) throws IOException {
        Properties p = new Properties();
        if (datasites == null) {
            p.setProperty("layout", "default");
        } else {
            p.setProperty("layout", "syftbox");
            p.setProperty("datasites", datasites.toAbsolutePath().normalize().toString());
            p.setProperty("email", ChannelLayout.requireEmail(email));
        }
        Path file = home.home().resolve(FILE);
        Path temp = home.home().resolve("." + FILE + ".tmp");
        StringBuilder text = new StringBuilder("# channel layout of this home (formix init --layout)\n");
        for (String k : p.stringPropertyNames().stream().sorted().toList()) {
            text.append(k)
                    .append('=')
                    .append(p.getProperty(k).replace("\\", "\\\\"))
                    .append('\n');
        }
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The home's SyftBox settings, or null for the default layout.
     *
     * @throws ServiceException if the file is unreadable or names an unusable email
     */
    static SyftBoxConfig read(FormixHome home) {
        Path file = home.home().resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Properties p = new Properties();
        try {
            if (Files.size(file) > 1 << 20) {
                throw new IOException("larger than 1 MiB");
            }
            try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
                p.load(r);
            }
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Kind.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        if (!"syftbox".equals(p.getProperty("layout"))) {
            return null;
        }
        try {
            String email = ChannelLayout.requireEmail(p.getProperty("email", ""));
            Map<String, String> nodes = new LinkedHashMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("email.")) {
                    nodes.put(k.substring("email.".length()), ChannelLayout.requireEmail(p.getProperty(k)));
                }
            }
            return new SyftBoxConfig(Path.of(p.getProperty("datasites", "")), email, nodes);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceException.Kind.ERROR, file + ": " + e.getMessage());
        }
    }

    /** The layout for the nodes {@code all}: each node's datasite, this home's by default. */
    ChannelLayout layout(Collection<NodeRecord> all, PartyId self) {
        Map<PartyId, String> table = new LinkedHashMap<>();
        for (NodeRecord r : all) {
            table.put(r.uid(), nodeEmails.getOrDefault(r.uid().value(), email));
        }
        table.putIfAbsent(self, email);
        return ChannelLayout.syftbox(datasites, email, table);
    }
}
