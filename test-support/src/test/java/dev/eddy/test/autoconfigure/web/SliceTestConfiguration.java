package dev.eddy.test.autoconfigure.web;

import org.springframework.boot.SpringBootConfiguration;

/** What the slices of this package search upwards for; it scans nothing, the tests import what they use. */
@SpringBootConfiguration
class SliceTestConfiguration {

}
