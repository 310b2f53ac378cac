package io.tlswatch.client.report;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's error classes are a copy of the contract's taxonomy ({@code io.tlswatch.contract.event.ErrorClass}):
 * the SDK depends on nothing of ours, so it cannot use the enum. This fails when the two drift apart.
 */
class ErrorClassTaxonomyTest {

    @Test
    void theSdkListsExactlyTheContractClassesTheSdkReportsUnderTheSameNames() throws IllegalAccessException {
        // given the SDK's constants, by name
        Map<String, String> sdk = new TreeMap<>();
        for (Field f : ErrorClass.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && f.getType() == String.class) {
                sdk.put(f.getName(), (String) f.get(null));
            }
        }

        // when compared with the contract's classes the SDK reports
        Map<String, String> contract = Arrays.stream(io.tlswatch.contract.event.ErrorClass.values())
                .filter(io.tlswatch.contract.event.ErrorClass::sdkReports)
                .collect(Collectors.toMap(Enum::name, io.tlswatch.contract.event.ErrorClass::wire, (a, b) -> a,
                        TreeMap::new));

        // then they are the same names with the same wire values
        assertThat(sdk).isNotEmpty().isEqualTo(contract);
    }
}
