package io.ferry.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FernetTokensTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final String key = FernetTokens.newKey(random);
    private final FernetTokens fernet = new FernetTokens(List.of(key), random);

    @Test
    void opensWhatItSealed() {
        // given
        byte[] payload = "alice@p1".getBytes(StandardCharsets.UTF_8);

        // when
        String token = fernet.seal(payload, NOW);

        // then
        assertThat(fernet.open(token)).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
        assertThat(token).doesNotContain("alice");
        assertThat(Base64.getUrlDecoder().decode(token)[0]).isEqualTo((byte) 0x80);
    }

    @Test
    void anotherInstanceWithTheSameKeyOpensIt() {
        String token = fernet.seal(new byte[] {1, 2, 3}, NOW);

        assertThat(new FernetTokens(List.of(key), new SecureRandom()).open(token)).isPresent();
    }

    @Test
    void refusesATokenSealedWithAnotherKey() {
        String token = new FernetTokens(List.of(FernetTokens.newKey(random)), random).seal(new byte[] {1}, NOW);

        assertThat(fernet.open(token)).isEmpty();
    }

    @Test
    void refusesEveryTokenWithOneBitFlipped() {
        // given
        long seed = new Random().nextLong();
        Random flips = new Random(seed);
        byte[] sealed = Base64.getUrlDecoder().decode(fernet.seal("admin@admin".getBytes(StandardCharsets.UTF_8), NOW));

        // when / then
        for (int i = 0; i < 200; i++) {
            byte[] tampered = sealed.clone();
            tampered[flips.nextInt(tampered.length)] ^= (byte) (1 << flips.nextInt(8));
            assertThat(fernet.open(Base64.getUrlEncoder().withoutPadding().encodeToString(tampered)))
                    .as("tampered token %d (seed %d)", i, seed).isEmpty();
        }
    }

    @Test
    void refusesGarbage() {
        assertThat(fernet.open("")).isEmpty();
        assertThat(fernet.open("not a token!")).isEmpty();
        assertThat(fernet.open("gAAAAA")).isEmpty();
        assertThat(fernet.open(Base64.getUrlEncoder().encodeToString(new byte[90]))).isEmpty();
    }

    @Test
    void sealsWithThePrimaryAndOpensWithEveryKeyAfterARotation() {
        // given a token sealed before the rotation
        String old = fernet.seal(new byte[] {7}, NOW);
        String newer = FernetTokens.newKey(random);

        // when the new key becomes primary, the old one stays
        FernetTokens rotated = new FernetTokens(List.of(newer, key), random);
        String fresh = rotated.seal(new byte[] {8}, NOW);

        // then
        assertThat(rotated.open(old)).isPresent();
        assertThat(new FernetTokens(List.of(newer), random).open(fresh)).isPresent();
        assertThat(fernet.open(fresh)).isEmpty();
    }

    @Test
    void refusesAKeyOfTheWrongSize() {
        assertThat(FernetTokens.isKey(Base64.getUrlEncoder().encodeToString(new byte[16]))).isFalse();
        assertThat(FernetTokens.isKey("%%%")).isFalse();
        assertThat(FernetTokens.isKey(key)).isTrue();
        assertThatThrownBy(() -> new FernetTokens(List.of(), random)).isInstanceOf(IllegalArgumentException.class);
    }
}
