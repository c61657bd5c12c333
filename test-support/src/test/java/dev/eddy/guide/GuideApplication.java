package dev.eddy.guide;

import org.springframework.boot.SpringBootConfiguration;

/** Stands for the application's {@code @SpringBootApplication}, which slices search upwards for. */
@SpringBootConfiguration
class GuideApplication {

}
