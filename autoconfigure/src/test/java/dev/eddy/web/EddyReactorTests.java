package dev.eddy.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eddy.concurrent.LoopFuture;
import dev.eddy.loop.EventLoop;
import dev.eddy.testsupport.GarbageCollection;
import dev.eddy.unobserved.UnobservedFailure;
import dev.eddy.unobserved.UnobservedFailureDetector;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EddyReactor}: {@code LoopFuture} to {@code Mono} and back, cancellation both ways, and
 * the duty to observe a failure moving with the copy (CH-8).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EddyReactorTests {

	private final List<UnobservedFailure> reports = new CopyOnWriteArrayList<>();

	private UnobservedFailureDetector detector;

	private EventLoop loop;

	@BeforeEach
	void start() {
		this.detector = UnobservedFailureDetector.builder().listener(this.reports::add).build();
		this.loop = EventLoop.builder("reactor-test").unobservedFailureDetector(this.detector).start();
	}

	@AfterEach
	void stop() {
		this.loop.close();
		this.detector.close();
	}

	private <T extends @Nullable Object> LoopFuture<T> pending() throws Exception {
		return this.loop.runSync(() -> LoopFuture.completed(this.loop.<T>newFuture()), Duration.ofSeconds(5));
	}

	private void onLoop(Runnable action) throws Exception {
		this.loop.runSync(() -> {
			action.run();
			return LoopFuture.completed(null);
		}, Duration.ofSeconds(5));
	}

	@Test
	void toMono_value_isEmitted() throws Exception {
		LoopFuture<String> future = pending();
		Mono<String> mono = EddyReactor.toMono(future);
		onLoop(() -> future.setResult("v"));
		assertThat(mono.block(Duration.ofSeconds(5))).isEqualTo("v");
	}

	@Test
	void toMono_nullResult_completesEmpty() throws Exception {
		LoopFuture<@Nullable String> future = pending();
		onLoop(() -> future.setResult(null));
		assertThat(EddyReactor.toMono(future).hasElement().block(Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void toMono_failureDeliveredToSubscriber_isObserved_CH8() throws Exception {
		IOException failure = new IOException("disk full");
		for (int i = 0; i < 10; i++) {
			LoopFuture<String> future = pending();
			onLoop(() -> future.setException(failure));
			assertThatThrownBy(() -> EddyReactor.toMono(future).block(Duration.ofSeconds(5))).hasCause(failure);
		}
		GarbageCollection.settle();
		assertThat(this.reports).isEmpty();
	}

	@Test
	void toMono_neverSubscribed_futureKeepsTheDuty_CH8() throws Exception {
		failUnsubscribed();
		dropAndAwaitReport("nobody subscribed");
	}

	/** In its own frame, so that nothing references the future or the mono afterwards. */
	private void failUnsubscribed() throws Exception {
		LoopFuture<String> future = pending();
		EddyReactor.toMono(future);
		onLoop(() -> future.setException(new IllegalStateException("nobody subscribed")));
	}

	@Test
	void toMono_subscriberCancels_cancelsTheFutureWithAMessage() throws Exception {
		LoopFuture<String> future = pending();
		EddyReactor.toMono(future).subscribe().dispose();
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> WebFixture.cancellationMessage(this.loop, future)
			.startsWith("The subscriber of the Mono of "));
		assertThat(WebFixture.cancellationMessage(this.loop, future)).endsWith(" cancelled");
	}

	@Test
	void toMono_cancelledFuture_errorsWithItsCancellation() throws Exception {
		LoopFuture<String> future = pending();
		onLoop(() -> future.cancel("gone"));
		assertThatThrownBy(() -> EddyReactor.toMono(future).block(Duration.ofSeconds(5)))
			.isInstanceOf(CancellationException.class)
			.hasMessage("gone");
	}

	@Test
	void toLoopFuture_value_completesOnTheLoop() throws Exception {
		LoopFuture<String> future = EddyReactor.toLoopFuture(Mono.just("v"), this.loop);
		assertThat(this.loop.runSync(() -> {
			LoopFuture<String> thread = this.loop.newFuture();
			future.addDoneCallback((done) -> thread.setResult(done.result() + " on " + Thread.currentThread().getName()));
			return thread;
		}, Duration.ofSeconds(5))).isEqualTo("v on reactor-test");
	}

	@Test
	void toLoopFuture_empty_isNull() throws Exception {
		LoopFuture<@Nullable String> future = EddyReactor.toLoopFuture(Mono.<String>empty(), this.loop);
		assertThat(this.loop.runSync(() -> future, Duration.ofSeconds(5))).isNull();
	}

	@Test
	void toLoopFuture_error_isTheSameException() throws Exception {
		IOException failure = new IOException("refused");
		LoopFuture<String> future = EddyReactor.toLoopFuture(Mono.error(failure), this.loop);
		assertThat(this.loop.runSync(() -> {
			LoopFuture<@Nullable Throwable> seen = this.loop.newFuture();
			future.addDoneCallback((done) -> seen.setResult(done.exception()));
			return seen;
		}, Duration.ofSeconds(5))).isSameAs(failure);
	}

	@Test
	void toLoopFuture_errorNobodyObserves_isReportedByTheFuture_CH8() throws Exception {
		EddyReactor.toLoopFuture(Mono.error(new IllegalStateException("dropped after the copy")), this.loop);
		dropAndAwaitReport("dropped after the copy");
	}

	@Test
	void toLoopFuture_cancellingTheFuture_cancelsTheSubscription() throws Exception {
		AtomicBoolean cancelled = new AtomicBoolean();
		Sinks.One<String> sink = Sinks.one();
		LoopFuture<String> future = EddyReactor.toLoopFuture(sink.asMono().doOnCancel(() -> cancelled.set(true)), this.loop);
		onLoop(() -> future.cancel("not needed"));
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(cancelled);
		assertThat(sink.currentSubscriberCount()).isZero();
	}

	@Test
	void roundTrip_valueAndFailure() throws Exception {
		LoopFuture<String> future = pending();
		LoopFuture<String> back = EddyReactor.toLoopFuture(EddyReactor.toMono(future).map(String::toUpperCase), this.loop);
		onLoop(() -> future.setResult("abc"));
		assertThat(this.loop.runSync(() -> back, Duration.ofSeconds(5))).isEqualTo("ABC");
	}

	@Test
	void nullArguments_areRejectedByName() {
		assertThatThrownBy(() -> EddyReactor.toMono(null)).isInstanceOf(NullPointerException.class).hasMessage("future");
		assertThatThrownBy(() -> EddyReactor.toLoopFuture(null, this.loop)).hasMessage("mono");
		assertThatThrownBy(() -> EddyReactor.toLoopFuture(Mono.just(1), null)).hasMessage("loop");
	}

	private void dropAndAwaitReport(String message) {
		GarbageCollection.awaitReports(this.reports, 1);
		assertThat(this.reports).extracting((report) -> report.exception().getMessage()).contains(message);
	}

}
