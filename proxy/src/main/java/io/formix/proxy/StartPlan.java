package io.formix.proxy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan {@code formix-proxy} prints when it starts: which party it is, where its ports come from,
 * and one line per link saying which port it listens on or dials and which channel folders carry the
 * link's two directions. Printed before anything is bound, so a user of the short form
 * ({@code --pid 0 --data-dir ./sandbox}) sees what the defaults chose.
 */
final class StartPlan {

    private StartPlan() {}

    /**
     * The plan's lines.
     *
     * @param config the validated configuration
     * @param dataDir the folder holding the channels, as given
     * @param defaultedParties whether {@code --parties} was left to its default
     * @param defaultedPorts whether a base port was left to its default
     */
    static List<String> lines(ProxyConfig config, Path dataDir, boolean defaultedParties, boolean defaultedPorts) {
        List<String> lines = new ArrayList<>();
        lines.add("formix-proxy: party " + config.pid() + " of " + config.parties()
                + (defaultedParties ? " (--parties " + config.parties() + " by default)" : "")
                + ", channels in " + dataDir + ", application at "
                + config.appHost().getHostAddress());
        lines.add("  ports: --base-port " + config.basePort() + ", --sequre-base-port " + config.sequreBasePort()
                + (defaultedPorts ? " (a base not given is 8000 + 1000*pid, the Sequre deployment table)" : ""));
        String host = config.appHost().getHostAddress();
        for (Link l : config.links()) {
            String port = l.role() == Link.Role.LISTEN
                    ? "listens on " + host + ":" + l.port() + " (party " + l.pid() + "'s application connects)"
                    : "dials " + host + ":" + l.port() + " (party " + l.pid() + "'s application listens)";
            lines.add("  link " + l.name() + ": " + port + "; sends to " + dataDir.resolve(l.pid() + "_to_" + l.peer())
                    + "/, receives from " + dataDir.resolve(l.peer() + "_to_" + l.pid()) + "/");
        }
        return lines;
    }
}
