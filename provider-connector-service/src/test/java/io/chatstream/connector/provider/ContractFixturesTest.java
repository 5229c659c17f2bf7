package io.chatstream.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.simulator.SimulatorsMain;
import io.chatstream.simulator.VendorSimulator;
import io.chatstream.simulator.contract.ContractFixture;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No vendor escapes {@link ProviderContractTest}: every vendor module on this classpath with a vendor
 * to simulate (a {@link VendorSimulator} with a port; demo has none) ships a {@link ContractFixture}.
 */
class ContractFixturesTest {

    @Test
    void everySimulatedVendorHasAContractFixture() {
        Set<String> fixtures = new TreeSet<>();
        ServiceLoader.load(ContractFixture.class).forEach(fixture -> fixtures.add(fixture.provider()));
        Set<String> simulated = new TreeSet<>();
        SimulatorsMain.simulators().stream()
                .filter(simulator -> simulator.defaultPort().isPresent())
                .forEach(simulator -> simulated.add(simulator.provider()));

        assertThat(fixtures).as("providers with a contract fixture").isEqualTo(simulated);
    }
}
