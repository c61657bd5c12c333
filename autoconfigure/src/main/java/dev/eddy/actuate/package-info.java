/**
 * Spring Boot Actuator integration: the health indicator that reports the state of Eddy's event
 * loops and executors, and any endpoint Eddy contributes. Active only when Spring Boot's health
 * support is on the class path.
 */
@NullMarked
package dev.eddy.actuate;

import org.jspecify.annotations.NullMarked;
