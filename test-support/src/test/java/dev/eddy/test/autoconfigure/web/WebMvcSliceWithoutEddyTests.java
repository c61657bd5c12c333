package dev.eddy.test.autoconfigure.web;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The control of {@link AutoConfigureEddyWebMvcTests}: a slice without {@code @AutoConfigureEddy}
 * has no Eddy beans, so nothing turns a returned {@code LoopFuture} into a response. It must not
 * answer {@code 200 {}} and lose the value: Eddy's Jackson module, found by Jackson's service
 * loader (Boot's {@code spring.jackson.find-and-add-modules}, on by default), refuses to write the
 * future and names the fix.
 */
@WebMvcTest(WebMvcSliceWithoutEddyTests.Controller.class)
@Import(WebMvcSliceWithoutEddyTests.Controller.class)
class WebMvcSliceWithoutEddyTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Test
	void whenSliceLacksAutoConfigureEddyShouldHaveNoLoop() {
		assertThat(this.context.getBeanNamesForType(EventLoop.class)).isEmpty();
	}

	@Test
	void whenSliceLacksAutoConfigureEddyALoopFutureShouldFailLoudlyNotAnswerAnEmptyObject() {
		assertThatThrownBy(() -> this.mvc.perform(get("/completed")))
			.rootCause()
			.hasMessageContaining("cannot be written as JSON: a future is not a value");
	}

	@RestController
	static class Controller {

		@GetMapping("/completed")
		LoopFuture<String> completed() {
			return LoopFuture.completed("lost?");
		}

	}

}
