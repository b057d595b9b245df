package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation")
class AdditiveSharingTest {
    @Test
    void sharesReconstructToTheSecretModTwoToThe32() {
        AdditiveSharing sharing = new AdditiveSharing(new SecureRandom());
        Random r = new Random(7);
        for (int trial = 0; trial < 10_000; trial++) {
            int secret = r.nextInt();
            int parties = 2 + r.nextInt(6);
            int[] shares = sharing.share(secret, parties);
            assertEquals(parties, shares.length);
            assertEquals(secret, AdditiveSharing.reconstruct(shares));
        }
    }

    @Test
    void refusesFewerThanTwoParties() {
        assertThrows(IllegalArgumentException.class, () -> new AdditiveSharing().share(1, 1));
    }
}
