package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceIdTest {

    @Test
    void theDefaultIsUniquePerProcessAndAConfiguredOneIsKept() {
        assertThat(new InstanceId(Optional.empty()).value()).isNotEqualTo(new InstanceId(Optional.empty()).value());
        assertThat(new InstanceId(Optional.of("pod-7")).value()).isEqualTo("pod-7");
    }
}
