package io.tlswatch.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LicenseClientBuilderTest {

    private static final URI SERVER = URI.create("https://licenses.example.com");

    @TempDir
    Path state;

    @Test
    void eachMissingSettingIsNamed() {
        assertThatThrownBy(() -> LicenseClient.builder().licenseKey("k").stateDirectory(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("serverUrl is required");
        assertThatThrownBy(() -> LicenseClient.builder().serverUrl(SERVER).stateDirectory(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("licenseKey is required");
        assertThatThrownBy(() -> LicenseClient.builder().serverUrl(SERVER).licenseKey("k").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("stateDirectory is required");
    }

    @Test
    void aPlainHttpLicenseServerIsRefused() {
        assertThatThrownBy(() -> LicenseClient.builder().serverUrl(URI.create("http://licenses.example.com"))
                .licenseKey("k").stateDirectory(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("serverUrl must be https");
    }

    @Test
    void aStateDirectoryThatIsAFileIsAClearError() throws Exception {
        Path file = Files.writeString(state.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> LicenseClient.builder().serverUrl(SERVER).licenseKey("k").stateDirectory(file).build())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot use the state directory");
    }

    @Test
    void buildingTouchesNoNetworkAndStartsUnverified() {
        try (LicenseClient client = LicenseClient.builder().serverUrl(SERVER).licenseKey("k").stateDirectory(state)
                .build()) {
            assertThat(client.status().state()).isEqualTo(LicenseState.UNVERIFIED);
            assertThat(client.clientId()).startsWith("inst-");
        }
    }

    @Test
    void aBlankEntitlementToAskForIsRefused() {
        assertThatThrownBy(() -> LicenseClient.builder().entitlements("reporting", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }

    @Test
    void aClosedClientRefusesToValidate() {
        LicenseClient client = LicenseClient.builder().serverUrl(SERVER).licenseKey("k").stateDirectory(state).build();
        client.close();

        assertThatThrownBy(client::validate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(client::activate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(client::deactivate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(client.status().state()).as("the status stays readable").isEqualTo(LicenseState.UNVERIFIED);
    }
}
