package dev.eddy.test.autoconfigure.web;

import dev.eddy.executor.NamedExecutors;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The control of {@link AutoConfigureEddyWebFluxTests}: a slice without the annotation has no Eddy. */
@WebFluxTest
class WebFluxSliceWithoutEddyTests {

	@Autowired
	ApplicationContext context;

	@Test
	void whenSliceLacksAutoConfigureEddyShouldHaveNoLoop() {
		assertThat(this.context.getBeanNamesForType(EventLoop.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(NamedExecutors.class)).isEmpty();
	}

}
