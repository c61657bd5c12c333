package dev.eddy.test.autoconfigure.web;

import dev.eddy.loop.EventLoop;
import dev.eddy.executor.NamedExecutors;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The control of {@link AutoConfigureEddyWebMvcTests}: a slice without the annotation has no Eddy. */
@WebMvcTest
class WebMvcSliceWithoutEddyTests {

	@Autowired
	ApplicationContext context;

	@Test
	void whenSliceLacksAutoConfigureEddyShouldHaveNoLoop() {
		assertThat(this.context.getBeanNamesForType(EventLoop.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(NamedExecutors.class)).isEmpty();
	}

}
