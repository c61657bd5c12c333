package dev.eddy.guide;

import java.time.Duration;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.executor.NamedExecutors;
import dev.eddy.guide.GuideSamples.Price;
import dev.eddy.guide.GuideSamples.PriceClient;
import dev.eddy.guide.GuideSamples.PriceController;
import dev.eddy.guide.GuideSamples.PriceService;
import dev.eddy.loop.EventLoop;
import dev.eddy.test.EddyAwait;
import dev.eddy.test.FailOnUnobservedFailures;
import dev.eddy.test.autoconfigure.AutoConfigureEddy;
import dev.eddy.test.autoconfigure.EddyTestLoop;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

// tag::testing[]
@WebMvcTest({ PriceController.class, PriceControllerTests.LoopPriceController.class })
@AutoConfigureEddy                        // Eddy's beans and the @RunOnExecutor advisor in the slice
@EddyTestLoop                             // 'eddyLoop' is a loop this test drives, current only during its tests
@FailOnUnobservedFailures                 // a failed future dropped by the test fails it
@Import({ PriceController.class, PriceControllerTests.LoopPriceController.class, PriceService.class })
@org.springframework.test.context.TestPropertySource(properties = "eddy.executors.io.max-size=4")
class PriceControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	EventLoop loop;

	@Autowired
	NamedExecutors executors;

	@MockitoBean
	PriceClient client;

	@Test
	void priceAnswersFromTheIoPool() throws Exception {
		given(this.client.fetch("ACME")).willReturn(new Price("ACME", 4200));
		MvcResult started = this.mvc.perform(get("/prices/ACME")).andExpect(request().asyncStarted()).andReturn();
		this.mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andExpect(jsonPath("$.cents").value(4200));
	}

	@Test
	void loopFuturesAreDrivenStepByStep() {
		LoopFuture<Long> future = this.loop.runInExecutor(this.executors.get("io"), () -> 42L);
		EddyAwait.atMost(Duration.ofSeconds(5)).untilIdle(this.loop, this.executors, "io");   // drives the loop
		assertThat(future.result()).isEqualTo(42L);
	}

	@Test
	void aLoopFutureResponseWaitsForTheTestToDriveTheLoop() throws Exception {
		given(this.client.fetch("ACME")).willReturn(new Price("ACME", 4200));
		MvcResult started = this.mvc.perform(get("/loop-prices/ACME")).andExpect(request().asyncStarted()).andReturn();
		EddyAwait.atMost(Duration.ofSeconds(5)).untilIdle(this.loop, this.executors, "io");   // nothing else drives it
		this.mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andExpect(jsonPath("$.cents").value(4200));
	}

	@RestController
	static class LoopPriceController {                    // a controller returning a LoopFuture

		private final EventLoop loop;

		private final NamedExecutors executors;

		private final PriceClient client;

		LoopPriceController(EventLoop loop, NamedExecutors executors, PriceClient client) {
			this.loop = loop;
			this.executors = executors;
			this.client = client;
		}

		@GetMapping("/loop-prices/{symbol}")
		LoopFuture<Price> price(@PathVariable String symbol) {
			return this.loop.runInExecutor(this.executors.get("io"), () -> this.client.fetch(symbol));
		}

	}

}
// end::testing[]
