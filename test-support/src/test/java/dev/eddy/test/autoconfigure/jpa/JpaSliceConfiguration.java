package dev.eddy.test.autoconfigure.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;

/**
 * What {@code @DataJpaTest} searches upwards for; its package is where the slice scans entities
 * and repositories. It scans no components: the tests import what they use.
 */
@SpringBootConfiguration
@AutoConfigurationPackage
class JpaSliceConfiguration {

}
