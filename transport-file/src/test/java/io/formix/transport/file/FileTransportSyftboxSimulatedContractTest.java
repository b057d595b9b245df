package io.formix.transport.file;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportContractTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link io.formix.transport.Transport} contract in the SyftBox layout with every party on its
 * own workspace, carried only by the {@link SyftBoxSimulator} (full sync every 200 ms, priority
 * debounce 10 ms, random order): nothing reaches a peer but what SyftBox's rules would carry.
 */
class FileTransportSyftboxSimulatedContractTest extends TransportContractTest {

    static final Map<PartyId, String> EMAILS = FileTransportSyftboxSharedContractTest.EMAILS;

    @TempDir
    Path dir;

    private SyftBoxSimulator sim;

    @BeforeEach
    void startSync() throws Exception {
        Map<String, Path> ws = new LinkedHashMap<>();
        for (Map.Entry<PartyId, String> e : EMAILS.entrySet()) {
            ws.put(e.getValue(), workspace(e.getKey()));
        }
        sim = SyftBoxSimulator.create(ws, Duration.ofMillis(200), Duration.ofMillis(10), new Random(42))
                .start();
    }

    @AfterEach
    void stopSync() {
        sim.close();
    }

    private Path workspace(PartyId p) {
        return dir.resolve(p.value()).resolve("datasites");
    }

    @Override
    protected Transport openTransport(PartyId self) throws Exception {
        return FileTransport.builder(dir.resolve(self.value()).resolve("local"), self)
                .maxMessageBytes(configuredMax())
                .rescanInterval(Duration.ofMillis(100))
                .layout(ChannelLayout.syftbox(workspace(self), EMAILS.get(self), EMAILS))
                .open();
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
