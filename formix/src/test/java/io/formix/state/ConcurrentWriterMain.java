package io.formix.state;

import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import java.nio.file.Path;

/** A separate process for {@link ConcurrentWritersTest}: many small transactions on network.db. */
public final class ConcurrentWriterMain {
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        int writes = Integer.parseInt(args[1]);
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            for (int i = 0; i < writes; i++) {
                db.createNodes(i % 2 == 0 ? Role.LIGHT : Role.HEAVY, 1, Approval.AUTO, System.currentTimeMillis());
                db.dataVersion();
                db.nodes(Role.HEAVY);
            }
        }
        System.out.println("ok");
    }
}
